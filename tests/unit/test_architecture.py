"""The architecture and configuration pages cannot drift from the code: docs/architecture.md draws the
layers import-linter enforces and names every top-level package, docs/config.md every configuration file."""

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


def _top_level() -> set[str]:
    """Every top-level module and package of memo_coach, as the layers and the table name them."""
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    return modules | {p.parent.name for p in PACKAGE.glob("*/__init__.py")}


def _table_first_column() -> list[str]:
    """The first cell of each row of the table under `| layer | what lives there |`."""
    lines = (REPO / "docs" / "architecture.md").read_text().splitlines()
    header = next((i for i, line in enumerate(lines) if re.match(r"\|\s*layer\s*\|", line)), None)
    assert header is not None, "docs/architecture.md has no `| layer | what lives there |` table"
    rows = []
    for line in lines[header + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line.split("|")[1])
    return rows


def _names(layers: list[str]) -> set[str]:
    return {name.strip().strip("()") for layer in layers for name in re.split(r"[|:]", layer)}


def test_the_architecture_page_lists_the_enforced_layers():
    assert _documented_layers() == _contract_layers()


def test_every_top_level_package_and_module_has_a_layer():
    placed = {name.removeprefix("memo_coach.") for name in _names(_contract_layers())}
    assert _top_level() - placed == set(), "give each new package a layer in pyproject.toml and docs/architecture.md"


def test_the_architecture_table_names_every_top_level_package_and_module_and_nothing_else():
    # `cli/` names a package, `runtime.py` a module; a package's own file (`web/app.py`) is no top-level name.
    named = [m for cell in _table_first_column() for m in re.findall(r"`([a-z0-9_]+)(?:/|\.py)`", cell)]
    assert named, "the table's first column names no package (`name/`) or module (`name.py`)"
    assert sorted(_top_level() - set(named)) == [], "describe each new package or module in a row of the table"
    assert sorted(set(named) - _top_level()) == [], "the table names a package or module that does not exist"
    assert len(named) == len(set(named)), "each package or module is described in one row"


def test_every_configuration_file_has_a_section_in_the_configuration_page():
    files = {p.name for p in (REPO / "config").glob("*.yaml")}
    text = (REPO / "docs" / "config.md").read_text()
    sections = re.findall(r"^### `config/([^`]+)`\s*$", text, re.M)
    assert files, "no configuration files under config/"
    assert sorted(files - set(sections)) == [], "document each configuration file under `### `config/NAME.yaml``"
    assert sorted(set(sections) - files) == [], "docs/config.md documents a configuration file that does not exist"
