"""The short benchmark CI runs (`make bench-gate`), failing on a regression against bench/baseline.json.

    python -m bench.gate                    # measure, write bench/results/gate-*.json, compare with the baseline
    python -m bench.gate --write-baseline   # measure and replace bench/baseline.json, on purpose

The cheapest figures that still cover what people meet: `memo-coach --help` and `memo-coach health`
as real processes on a fresh SQLite installation, and the offline coach in process on a 1,000-word
memo (evaluations per CPU second). Each counts CPU, not wall, seconds: on an idle machine CPU is
97 % of their wall time, and on this 2-core machine shared with other work the wall figures of
three runs spread over 40 % while the CPU figures stayed within 10 % (bench.startup_bench and
`make bench`'s coach suite report wall times).

Every round takes one sample of each beside one of the reference workload, and each figure is its
best round, so load from other work on the machine that comes and goes during the run weighs on
neither. About 12 s in all.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import compare, record, reference
from bench.coach_bench import offline_ready
from bench.startup_bench import new_user_env, timed

BASELINE = Path(__file__).resolve().parent / "baseline.json"
ROUNDS = 7
EVALUATIONS_PER_ROUND = 40
PARTS = ("commands", "offline_coach")
Step = Callable[[], dict[str, float]]


def _commands(data: Path) -> dict[str, Step]:
    env = new_user_env(data)
    timed(["init"], env, "init")

    def command(*args: str) -> Step:
        def step() -> dict[str, float]:
            _, cpu = timed(list(args), env, args[0])
            return {"cpu_s": cpu}

        step()  # unmeasured: writes the bytecode cache, as an installed package has it
        return step

    return {"help": command("--help"), "health": command("health")}


def _offline_coach() -> dict[str, Step]:
    evaluator, memo, rubric = offline_ready()

    def step() -> dict[str, float]:
        started = time.process_time()
        for _ in range(EVALUATIONS_PER_ROUND):
            evaluator.evaluate(memo, rubric)
        return {"evaluations_per_cpu_s": EVALUATIONS_PER_ROUND / (time.process_time() - started)}

    return {"offline_coach": step}


def _best(rows: list[dict[str, float]]) -> dict[str, float]:
    """Each figure's best round, as the reference keeps its fastest sample: other people's jobs on a
    shared machine only ever slow a round down, so the best is the steadiest estimate of the code."""
    best = {}
    for key in rows[0]:
        pick = max if compare.KINDS[compare.kind_of((key,))][0] == "higher" else min
        best[key] = float(f"{pick(row[key] for row in rows):.4g}")
    return best


def measure(rounds: int = ROUNDS, parts: tuple[str, ...] = PARTS) -> dict:
    """One result of suite `gate`, reference interleaved with the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-gate-") as tmp:
        steps: dict[str, Step] = {}
        if "commands" in parts:
            steps |= _commands(Path(tmp) / "data")
        if "offline_coach" in parts:
            steps |= _offline_coach()
        rows: dict[str, list[dict[str, float]]] = {name: [] for name in steps}
        samples = []
        for _ in range(rounds):
            samples.append(reference.sample())
            for name, step in steps.items():
                rows[name].append(step())
    return record.result("gate", {"rounds": rounds, **{name: _best(r) for name, r in rows.items()}}, samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gate", description=__doc__.splitlines()[0])
    parser.add_argument("--write-baseline", action="store_true", help="replace the baseline with this run")
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--out", type=Path, help="where this run's result goes (default bench/results/gate-*.json)")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--only", choices=PARTS, action="append", help="measure only these parts")
    parser.add_argument("--tolerance", type=float, default=compare.DEFAULT_TOLERANCE_PERCENT, help="percent")
    args = parser.parse_args(argv)
    run = measure(args.rounds, tuple(args.only or PARTS))
    path = record.save(run, args.baseline if args.write_baseline else args.out)
    print(f"written to {path}")
    if args.write_baseline:
        return 0
    return compare.main([str(args.baseline), str(path), "--tolerance", str(args.tolerance)])


if __name__ == "__main__":
    sys.exit(main())
