"""`make quality`: measures the code-quality figures, writes them beside the benchmark results
(bench/results/quality.json) and fails when one is worse than its limit in quality/limits.json.

The limits are the figures of the day they were recorded, so they move only by a commit that says why:
drift is then a decision someone took, not an accident nobody saw.

python -m quality.gate            measure, write, compare; exit 1 when a figure is worse than its limit
python -m quality.gate --record   write today's figures as the limits (after a review that accepts them)
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime

from quality.figures import REPO, MeasureError, measure

LIMITS = REPO / "quality" / "limits.json"
RESULT = REPO / "bench" / "results" / "quality.json"
HIGHER_IS_BETTER = {"coverage_floor"}


def compare(figures: dict[str, float], limits: dict[str, float]) -> list[str]:
    """One line per figure worse than its limit, or with no limit or no figure to compare."""
    problems = []
    for name in sorted(figures.keys() | limits.keys()):
        figure, limit = figures.get(name), limits.get(name)
        if figure is None or limit is None:
            problems.append(f"{name}: {'no figure measured' if figure is None else 'no limit recorded'}")
        elif (figure < limit) if name in HIGHER_IS_BETTER else (figure > limit):
            problems.append(f"{name}: {figure} is worse than its limit {limit}")
    return problems


def _table(figures: dict[str, float], limits: dict[str, float], problems: list[str]) -> str:
    failing = {p.split(":")[0] for p in problems}
    lines = [f"{'figure':<32}{'now':>8}{'limit':>8}"]
    for name in sorted(figures.keys() | limits.keys()):
        mark = "  FAIL" if name in failing else ""
        lines.append(f"{name:<32}{figures.get(name, '-')!s:>8}{limits.get(name, '-')!s:>8}{mark}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--record", action="store_true", help="write today's figures to quality/limits.json")
    args = parser.parse_args(argv)
    try:
        measured = measure()
    except MeasureError as e:
        print(f"quality: {e}", file=sys.stderr)
        return 1
    figures = measured["figures"]
    if args.record:
        LIMITS.write_text(json.dumps(figures, indent=2) + "\n")
    limits = json.loads(LIMITS.read_text())
    problems = compare(figures, limits)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    result = {"measured_at": datetime.now(UTC).isoformat(), "limits": limits, "problems": problems, **measured}
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(_table(figures, limits, problems))
    print(f"written to {RESULT.relative_to(REPO)}")
    for problem in problems:
        print(f"quality: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
