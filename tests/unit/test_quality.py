"""The quality gate (`make quality`) and the coverage table of `make test`: a worse figure fails the gate, the
coverage floor only rises, and the table adds up per package as coverage adds up its total."""

from __future__ import annotations

import json

from quality.coverage_table import coverage_floor, per_package, table
from quality.figures import functions
from quality.gate import LIMITS, compare

LIMITS_NOW = {"functions_over_complexity_10": 1, "mean_complexity": 1.95, "duplicate_blocks": 2, "coverage_floor": 80}


def test_the_gate_fails_on_each_figure_worse_than_its_limit_and_passes_at_the_limit():
    assert compare(dict(LIMITS_NOW), LIMITS_NOW) == []
    worse = {**LIMITS_NOW, "functions_over_complexity_10": 2, "mean_complexity": 1.96, "coverage_floor": 79}
    assert compare(worse, LIMITS_NOW) == [
        "coverage_floor: 79 is worse than its limit 80",
        "functions_over_complexity_10: 2 is worse than its limit 1",
        "mean_complexity: 1.96 is worse than its limit 1.95",
    ]
    better = {**LIMITS_NOW, "duplicate_blocks": 0, "coverage_floor": 85}
    assert compare(better, LIMITS_NOW) == []


def test_a_figure_without_a_limit_or_a_limit_without_a_figure_fails_the_gate():
    figures = {**LIMITS_NOW, "highest_complexity": 15}
    del figures["duplicate_blocks"]
    assert compare(figures, LIMITS_NOW) == [
        "duplicate_blocks: no figure measured",
        "highest_complexity: no limit recorded",
    ]


def test_the_coverage_floor_in_pyproject_is_not_below_the_recorded_one():
    recorded = json.loads(LIMITS.read_text())["coverage_floor"]
    assert recorded > 0 and coverage_floor() >= recorded


def test_ruff_measures_each_functions_complexity_and_statements(tmp_path):
    (tmp_path / "code.py").write_text(
        "def branchy(x):\n"
        "    a = 1\n    b = 2\n"
        "    if x:\n        a = 3\n        b = 4\n"
        "    for _ in range(x):\n        c = a + b\n"
        "    return c\n\n\n"
        "def plain():\n    return 1\n"
    )
    found = {f["name"]: f for f in functions(str(tmp_path))}
    assert (found["branchy"]["complexity"], found["branchy"]["statements"]) == (3, 6)
    assert (found["plain"]["complexity"], found["plain"]["statements"]) == (1, 0)  # ruff counts no lone return


def _summary(lines: int, covered: int, branches: int, covered_branches: int) -> dict:
    counts = ("num_statements", "covered_lines", "num_branches", "covered_branches")
    return {"summary": dict(zip(counts, (lines, covered, branches, covered_branches), strict=True))}


def test_the_coverage_table_sums_each_top_level_package_and_module():
    report = {
        "files": {
            "src/memo_coach/coaching/chat.py": _summary(10, 5, 4, 1),
            "src/memo_coach/coaching/llm/client.py": _summary(30, 30, 6, 6),
            "src/memo_coach/runtime.py": _summary(20, 10, 0, 0),
        },
        "totals": _summary(60, 45, 10, 7)["summary"],
    }
    sums = per_package(report)
    assert sums == {
        "coaching": {"num_statements": 40, "covered_lines": 35, "num_branches": 10, "covered_branches": 7},
        "runtime.py": {"num_statements": 20, "covered_lines": 10, "num_branches": 0, "covered_branches": 0},
    }
    rows = {line.split()[0]: line.split()[1:] for line in table(report).splitlines()[1:]}
    assert rows["coaching"] == ["40", "87.5%", "70.0%", "84.0%"]  # (35 + 7) / (40 + 10)
    assert rows["runtime.py"] == ["20", "50.0%", "100.0%", "50.0%"]
    assert rows["total"] == ["60", "75.0%", "70.0%", "74.3%"]
