"""The code-quality figures of src/memo_coach, each from a maintained tool installed from the lock files,
so a developer's machine and CI measure alike: ruff (complexity by C901; function length as the statements
PLR0915 counts), pylint's duplicate-code checker (R0801) and import-linter. Migrations are left out: they
are history, written once from Alembic's template and never edited, so their length and repetition say
nothing about the code.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from quality.coverage_table import coverage_floor

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "src/memo_coach"
MIGRATIONS = f"{PACKAGE}/db/migrations"
BIN = Path(sys.executable).parent
COMPLEX = 10  # McCabe's own threshold, ruff's C901 default
LONG = 50  # statements: pylint's and ruff's PLR0915 default
WORST = 5  # functions named in the results, so a figure that moved can be traced
RUFF = [
    "check",
    "--no-cache",
    "--select",
    "C901,PLR0915",
    "--config",
    "lint.mccabe.max-complexity=0",
    "--config",
    "lint.pylint.max-statements=0",
    "--output-format",
    "json",
    "--exit-zero",
]
PYLINT = ["--disable=all", "--enable=duplicate-code", "--output-format=json", "--recursive=y"]


class MeasureError(RuntimeError):
    """A tool did not answer as expected: the gate cannot judge, so it fails rather than pass blind."""


def _run(*command: str) -> str:
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if not done.stdout.strip():
        raise MeasureError(f"{' '.join(command[:2])} printed nothing (exit {done.returncode}): {done.stderr[-500:]}")
    return done.stdout


def functions(target: str = PACKAGE) -> list[dict[str, Any]]:
    """Every function under target with its complexity and statement count: the rules' thresholds set to 0
    make ruff report them all, with the figure in the message ("(7 > 0)")."""
    diagnostics = json.loads(_run(str(BIN / "ruff"), *RUFF, "--extend-exclude", MIGRATIONS, target))
    found: dict[tuple[str, int], dict[str, Any]] = {}
    for d in diagnostics:
        where = (os.path.relpath(d["filename"], REPO), d["location"]["row"])
        row = found.setdefault(where, {"where": f"{where[0]}:{where[1]}", "statements": 0})
        figure = int(re.search(r"\((\d+) > \d+\)", d["message"]).group(1))
        if d["code"] == "C901":
            row["name"], row["complexity"] = d["message"].split("`")[1], figure
        else:
            row["statements"] = figure  # PLR0915 is silent where it counts none (a lone `return`)
    return list(found.values())


def _duplicate_blocks() -> list[str]:
    """Blocks of 4 or more equal lines in two places (comments, docstrings, imports and signatures aside)."""
    messages = json.loads(_run(str(BIN / "pylint"), *PYLINT, f"--ignore-paths=^{MIGRATIONS}/.*$", PACKAGE))
    return [
        " = ".join(re.findall(r"^==(\S+)", m["message"], re.M)) for m in messages if m["symbol"] == "duplicate-code"
    ]


def _contracts() -> tuple[int, int]:
    """(kept, broken) as `lint-imports` counts them."""
    found = re.search(r"Contracts: (\d+) kept, (\d+) broken", _run(str(BIN / "lint-imports"), "--no-cache"))
    if not found:
        raise MeasureError("lint-imports printed no `Contracts: N kept, M broken` line")
    return int(found.group(1)), int(found.group(2))


def measure() -> dict[str, Any]:
    """The figures the gate compares, and the worst functions and duplicate blocks behind them."""
    every = functions()
    duplicates = _duplicate_blocks()
    kept, broken = _contracts()
    complexities = [f["complexity"] for f in every]
    return {
        "figures": {
            "functions_over_complexity_10": sum(c > COMPLEX for c in complexities),
            "highest_complexity": max(complexities),
            "mean_complexity": round(sum(complexities) / len(complexities), 2),
            "longest_function_statements": max(f["statements"] for f in every),
            "functions_over_50_statements": sum(f["statements"] > LONG for f in every),
            "duplicate_blocks": len(duplicates),
            "import_contracts_broken": broken,
            "coverage_floor": coverage_floor(),
        },
        "functions": len(every),
        "import_contracts_kept": kept,
        "most_complex": sorted(every, key=lambda f: -f["complexity"])[:WORST],
        "longest": sorted(every, key=lambda f: -f["statements"])[:WORST],
        "duplicate_blocks": duplicates,
    }
