"""docs/architecture.md draws the layers import-linter enforces: the two cannot drift apart."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "src" / "memo_coach"


def _contract_layers() -> list[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    [layers] = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    return layers


def _documented_layers() -> list[str]:
    text = (REPO / "docs" / "architecture.md").read_text()
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md has no ```layers block"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def _names(layers: list[str]) -> set[str]:
    return {name.strip().strip("()") for layer in layers for name in re.split(r"[|:]", layer)}


def test_the_architecture_page_lists_the_enforced_layers():
    assert _documented_layers() == _contract_layers()


def test_every_top_level_package_and_module_has_a_layer():
    top_level = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    top_level |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    placed = {name.removeprefix("memo_coach.") for name in _names(_contract_layers())}
    assert top_level - placed == set(), "give each new package a layer in pyproject.toml and docs/architecture.md"
