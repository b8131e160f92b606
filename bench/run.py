"""`make bench`: runs the benchmarks and writes their JSON results to bench/results/.

python -m bench.run [--seconds 30] [--workers 2] [--maintenance-mb 200] [--only coach]
"""

from __future__ import annotations

import argparse
import json
import platform
from datetime import UTC, datetime
from pathlib import Path

import psutil

from bench import (
    coach_bench,
    corpus_bench,
    database_bench,
    doctor_bench,
    header_bench,
    incidents_bench,
    maintenance_bench,
    memory_bench,
    pages_bench,
    recovery_bench,
    startup_bench,
    throughput_bench,
)

RESULTS = Path(__file__).resolve().parent / "results"
SUITES = {
    "coach": lambda args: coach_bench.run(args.seconds, args.workers),
    "maintenance": lambda args: maintenance_bench.run(args.maintenance_mb),
    "pages": lambda args: pages_bench.run(),
    "startup": lambda args: startup_bench.run(),
    "recovery": lambda args: recovery_bench.run(),
    "headers": lambda args: header_bench.run(),
    "incidents": lambda args: incidents_bench.run(),
    "corpus": lambda args: corpus_bench.run(),
    "doctor": lambda args: doctor_bench.run(),
    "memory": lambda args: memory_bench.run(),
    "database": lambda args: database_bench.run(),
    "throughput": lambda args: throughput_bench.run(min(args.seconds, 15)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=30, help="length of each load run")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--maintenance-mb", type=int, default=200, help="size of the generated SQLite database")
    parser.add_argument("--only", choices=sorted(SUITES), action="append", help="run only these suites")
    args = parser.parse_args()
    machine = {
        "cpus": psutil.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 1e9, 1),
        "python": platform.python_version(),
    }
    RESULTS.mkdir(exist_ok=True)
    for name in args.only or sorted(SUITES):
        result = {"suite": name, "at": datetime.now(UTC).isoformat(), "machine": machine, "results": SUITES[name](args)}
        path = RESULTS / f"{name}-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
        path.write_text(json.dumps(result, indent=2))
        print(json.dumps(result, indent=2))
        print(f"written to {path}")


if __name__ == "__main__":
    main()
