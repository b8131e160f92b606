"""Coverage per top-level package of memo_coach, from coverage's JSON report, as a table in `make test`'s
output: the total alone hides which layer no test reaches.

python -m quality.coverage_table bench/results/coverage.json
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COUNTS = ("covered_lines", "num_statements", "covered_branches", "num_branches")


def package_of(path: str) -> str:
    """`src/memo_coach/coaching/chat.py` -> `coaching`; a top-level module is its own layer: `runtime.py`."""
    parts = Path(path).parts
    return parts[parts.index("memo_coach") + 1]


def _percent(covered: int, total: int) -> float:
    return 100.0 * covered / total if total else 100.0


def per_package(report: dict) -> dict[str, dict[str, int]]:
    sums: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for path, data in report["files"].items():
        row = sums[package_of(path)]
        for key in COUNTS:
            row[key] += data["summary"][key]
    return dict(sums)


def table(report: dict) -> str:
    """Lines and branches apart, then both together as coverage counts its total (and fail_under)."""
    rows = [*sorted(per_package(report).items()), ("total", {key: report["totals"][key] for key in COUNTS})]
    out = [f"{'package':<22}{'statements':>11}{'lines':>9}{'branches':>10}{'total':>8}"]
    for name, c in rows:
        lines = _percent(c["covered_lines"], c["num_statements"])
        branches = _percent(c["covered_branches"], c["num_branches"])
        both = _percent(c["covered_lines"] + c["covered_branches"], c["num_statements"] + c["num_branches"])
        out.append(f"{name:<22}{c['num_statements']:>11}{lines:>8.1f}%{branches:>9.1f}%{both:>7.1f}%")
    return "\n".join(out)


def coverage_floor() -> float:
    """fail_under, the floor pytest-cov enforces in `make test`."""
    return tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["coverage"]["report"]["fail_under"]


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    if not path.exists():
        print(f"no coverage report at {path}: pytest ended before writing it")
        return 1
    report = json.loads(path.read_text())
    print(table(report))
    total, limit = report["totals"]["percent_covered"], coverage_floor()
    if total >= limit + 1:
        print(
            f"coverage {total:.1f}% is a point or more above the floor {limit}: raise fail_under in pyproject.toml"
            " and coverage_floor in quality/limits.json"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
