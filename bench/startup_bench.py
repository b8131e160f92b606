"""Start-to-ready of `memo-coach serve` on SQLite: process start until /health/ready answers 200.

    python -m bench.startup_bench [--runs 5]

It sets the floor under crash recovery when a process restarts (another running process takes
evaluations over within a lease, see bench/recovery_bench.py). Results: bench/results/startup.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from pathlib import Path

from tests.drills.servers import Site

RESULTS = Path(__file__).parent / "results"


def run(runs: int = 5) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        site = Site(Path(tmp)).init()
        times = []
        for _ in range(runs):
            server = site.serve()
            times.append(round(server.ready_seconds, 3))
            server.stop()
    return {
        "runs": runs,
        "start_to_ready_seconds": times,
        "median_seconds": statistics.median(times),
        "min_seconds": min(times),
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    result = run(parser.parse_args().runs)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
