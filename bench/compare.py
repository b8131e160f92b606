"""Comparing two benchmark runs of one suite, each against the reference workload of its own run.

    python -m bench.run compare OLD.json NEW.json [--tolerance 25]

Every result file holds the best time of the fixed reference workload (bench/reference.py)
measured in the same session as its figures. A figure is a number whose name (or the name of an
object holding it) carries a unit, and the unit says which way is better:

- throughput (`rps`, `per_s`, `per_second`, `per_cpu_s`): higher is better; scaled by the reference;
- time (`ms`, `s`, `seconds`): lower is better (latency, start-up, CPU per unit); divided by it;
- memory (`mb`, `gb`, `bytes`): lower is better; not scaled (a slower CPU uses no more memory).

A CPU figure (`cpu` in its name) is scaled by the reference's CPU time, any other by its wall time:
other work on a shared machine stretches wall time far more than CPU time.

So a machine that runs the reference 1.5 times slower may take 1.5 times longer on every time
figure without anything reading as a regression. How much worse a figure got is said in time per
unit of work (a throughput that halved is 100 % worse, like a latency that doubled); beyond the
tolerance it is a regression and the command exits 1. Settings echoed into results (goals, run
lengths, load averages) carry no unit from this list or are skipped by name.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TOLERANCE_PERCENT = 25.0
THROUGHPUT = re.compile(r"(^|_)(rps|per_(cpu_)?(s|second))(_|$)")
MEMORY = re.compile(r"(^|_)(mb|gb|kb|bytes)(_|$)")
TIME = re.compile(r"(^|_)(ms|s|seconds)(_|$)")
CPU = re.compile(r"(^|_)cpu(_|$)")
NOT_FIGURES = re.compile(r"(^|_)(goal|goals|load_average|window|threshold)(_|$)|^seconds$")
KINDS = {  # kind: (which way is better, the reference time it is scaled by)
    "throughput": ("higher", "seconds"),
    "cpu throughput": ("higher", "cpu_seconds"),
    "time": ("lower", "seconds"),
    "cpu time": ("lower", "cpu_seconds"),
    "memory": ("lower", None),
}
MACHINE_FIELDS = ("cpu_model", "cores_logical", "memory_gb", "python", "os", "git_commit", "git_dirty")


class CompareError(ValueError):
    """A file compare cannot read as a result of `make bench`."""


@dataclass(frozen=True)
class Change:
    figure: str
    kind: str
    old: float
    new: float
    normalised_ratio: float  # new / old after dividing out each run's reference

    @property
    def better(self) -> str:
        return KINDS[self.kind][0]

    @property
    def worse_by(self) -> float:
        """How much worse, as a fraction of the time per unit of work (negative: it improved)."""
        ratio = self.normalised_ratio
        return 1 / ratio - 1 if self.better == "higher" else ratio - 1


def kind_of(path: tuple[str, ...]) -> str | None:
    if any(NOT_FIGURES.search(part) for part in path):
        return None
    for part in reversed(path):  # the leaf's own unit first, then the unit of what holds it
        for kind, pattern in (("throughput", THROUGHPUT), ("memory", MEMORY), ("time", TIME)):
            if pattern.search(part.lower()):
                on_cpu = kind != "memory" and any(CPU.search(p.lower()) for p in path)
                return f"cpu {kind}" if on_cpu else kind
    return None


def figures(results: dict, path: tuple[str, ...] = ()) -> dict[str, tuple[str, float]]:
    """Every positive number with a unit in its name: {dotted path: (kind, value)}."""
    found: dict[str, tuple[str, float]] = {}
    for key, value in results.items():
        here = (*path, str(key))
        if isinstance(value, dict):
            found.update(figures(value, here))
        elif isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            kind = kind_of(here)
            if kind:
                found[".".join(here)] = (kind, float(value))
    return found


def load(path: Path) -> dict:
    try:
        run = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CompareError(f"{path}: cannot read a JSON result ({exc})") from exc
    if not isinstance(run, dict) or not isinstance(run.get("results"), dict):
        raise CompareError(f"{path}: not a result of `make bench` (no `results` object)")
    measured = run.get("reference") or {}
    if not all(isinstance(measured.get(k), int | float) and measured[k] > 0 for k in ("seconds", "cpu_seconds")):
        raise CompareError(f"{path}: no reference workload time; it was written before runs measured one")
    return run


def compare(old: dict, new: dict) -> list[Change]:
    """Each figure present in both runs, normalised by its own run's reference."""
    if old.get("suite") != new.get("suite"):
        raise CompareError(f"different suites: {old.get('suite')!r} and {new.get('suite')!r}")
    before, after = figures(old["results"]), figures(new["results"])
    changes = []
    for name in sorted(before.keys() & after.keys()):
        kind, old_value = before[name]
        new_value = after[name][1]
        ratio = new_value / old_value
        better, reference = KINDS[kind]
        if reference:
            slower = new["reference"][reference] / old["reference"][reference]  # > 1: a slower machine
            ratio = ratio * slower if better == "higher" else ratio / slower
        changes.append(Change(name, kind, old_value, new_value, ratio))
    if not changes:
        found = "no figure in common" if before or after else "no figure with a unit (ms, s, per_s, mb ...)"
        raise CompareError(f"the two runs have {found}")
    return changes


def unmatched(old: dict, new: dict) -> list[str]:
    """Figures only one run has: a part skipped or renamed compares nothing, and should be seen."""
    before, after = figures(old["results"]), figures(new["results"])
    return [f"only in old: {n}" for n in sorted(before.keys() - after.keys())] + [
        f"only in new: {n}" for n in sorted(after.keys() - before.keys())
    ]


def regressions(changes: list[Change], tolerance_percent: float) -> list[Change]:
    return [c for c in changes if c.worse_by * 100 > tolerance_percent]


def report(old: dict, new: dict, changes: list[Change], tolerance_percent: float) -> str:
    lines = [f"suite {new.get('suite')}: {len(changes)} figures, tolerance {tolerance_percent:g} % after normalisation"]
    for field in MACHINE_FIELDS:
        a, b = old.get("machine", {}).get(field), new.get("machine", {}).get(field)
        lines.append(f"  {field}: {a}" + ("" if a == b else f" -> {b}"))
    for key, what in (("seconds", "wall"), ("cpu_seconds", "CPU")):
        a, b = old["reference"][key], new["reference"][key]
        lines.append(
            f"  reference workload, {what}: {a:.4f} s -> {b:.4f} s (the new run's machine {b / a:.2f}x as slow)"
        )
    lines.append(f"{'figure':<48} {'better':<7} {'old':>10} {'new':>10} {'worse by':>9}  verdict")
    for c in changes:
        verdict = "REGRESSION" if c.worse_by * 100 > tolerance_percent else "ok"
        lines.append(f"{c.figure:<48} {c.better:<7} {c.old:>10.4g} {c.new:>10.4g} {c.worse_by * 100:>8.1f}%  {verdict}")
    return "\n".join([*lines, *unmatched(old, new)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run compare", description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument(
        "--tolerance", type=float, default=DEFAULT_TOLERANCE_PERCENT, help="percent worse that fails (default 25)"
    )
    args = parser.parse_args(argv)
    try:
        old, new = load(args.old), load(args.new)
        changes = compare(old, new)
    except CompareError as exc:
        print(f"bench compare: {exc}", file=sys.stderr)
        return 2
    print(report(old, new, changes, args.tolerance))
    failed = regressions(changes, args.tolerance)
    if failed:
        names = ", ".join(c.figure for c in failed)
        print(f"FAILED: {len(failed)} figure(s) worse than {args.tolerance:g} %: {names}")
        return 1
    return 0
