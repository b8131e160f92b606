"""Start-up as a new user meets it, on SQLite: `memo-coach serve` from process start until /health/ready
answers 200, and the everyday commands (`--help`, `health`, `status`, `evaluate` offline) as real
processes, wall time from spawn to exit.

    python -m bench.startup_bench [--runs 7]

Serve's start-to-ready sets the floor under crash recovery when a process restarts (another running
process takes evaluations over within a lease, see bench/recovery_bench.py). The commands run against
an installation made by `memo-coach init` with the repository's config/ and no API key, so `evaluate`
uses the offline analyzer. Each command and the server run once unmeasured first: that writes the
bytecode cache of the project's own modules, which an installed package has from pip and a checkout
from its first run (PYTHONDONTWRITEBYTECODE is dropped for the same reason). The machine may be
shared: `cpu_s` (user and system time of the process) moves less with its load than `wall_s`.
Results: bench/results/startup.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from tests.drills.servers import Site

RESULTS = Path(__file__).parent / "results"
REPO = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).parent / "memo-coach")
MEMO = (
    "We request $40,000 by May 1 to replace the ticketing tool. It cuts handling time by 20% per the Q3 study.\n"
    "The current tool loses one ticket in fifty; the vendor ends support in June. Please approve by Friday.\n"
)
# Wall-time goals in seconds (issue 14), against the median.
GOALS_S = {"--help": 0.3, "health": 1.0, "status": 1.0, "evaluate": 1.0, "serve": 2.0}
UNHEALTHY = 2  # `health` exits 2 when a component is unhealthy: still a full run, timed as one


def _spread(values: list[float]) -> dict:
    return {"min": round(min(values), 3), "median": round(statistics.median(values), 3), "max": round(max(values), 3)}


def _verdict(name: str, walls: list[float]) -> dict:
    median = statistics.median(walls)
    return {"goal_s": GOALS_S[name], "meets_goal": median < GOALS_S[name], "wall_s": _spread(walls)}


@contextmanager
def _bytecode_written():
    """The drill's servers inherit this process's environment: without the bytecode switch, for a while."""
    switch = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        yield
    finally:
        if switch is not None:
            os.environ["PYTHONDONTWRITEBYTECODE"] = switch


def serve(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp, _bytecode_written():
        site = Site(Path(tmp)).init()
        site.serve().stop()  # warm-up: the bytecode cache of the web app's modules
        times = []
        for _ in range(runs):
            server = site.serve()
            times.append(server.ready_seconds)
            server.stop()
    return {**_verdict("serve", times), "start_to_ready_seconds": [round(t, 3) for t in times]}


def new_user_env(data: Path) -> dict[str, str]:
    """The caller's environment without any memo-coach setting, API key or bytecode switch."""
    dropped = ("MEMO_COACH_", "ANTHROPIC", "OPENAI", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    return {**env, "MEMO_COACH_DATA_DIR": str(data), "MEMO_COACH_CONFIG_DIR": str(REPO / "config")}


def timed(args: list[str], env: dict[str, str], name: str) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one real process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=120)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    ok = done.returncode == 0 or (name == "health" and done.returncode == UNHEALTHY)
    if not ok:
        raise RuntimeError(f"memo-coach {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def commands(runs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = new_user_env(Path(tmp) / "data")
        memo = Path(tmp) / "memo.txt"
        memo.write_text(MEMO, encoding="utf-8")
        timed(["init"], env, "init")
        results = {}
        for name, args in {
            "--help": ["--help"],
            "health": ["health"],
            "status": ["status"],
            "evaluate": ["evaluate", str(memo)],
        }.items():
            timed(args, env, name)  # warm-up: the bytecode cache
            walls, cpus = zip(*(timed(args, env, name) for _ in range(runs)), strict=True)
            results[name] = {**_verdict(name, list(walls)), "cpu_s": _spread(list(cpus))}
    return results


def run(runs: int = 7) -> dict:
    return {
        "runs": runs,
        "load_average_before": os.getloadavg(),
        "commands": commands(runs),
        "serve": serve(runs),
        "load_average_after": os.getloadavg(),
        "cpus": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    result = run(parser.parse_args().runs)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
