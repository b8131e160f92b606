"""`make bench`: runs the benchmarks and writes their JSON results to bench/results/.

python -m bench.run [--seconds 30] [--workers 2] [--maintenance-mb 200] [--only coach]
python -m bench.run compare OLD.json NEW.json [--tolerance 25]

Each result file holds the machine's description and the time of the fixed reference workload
measured beside the suite (bench/record.py); `compare` normalises each run's figures by it
(bench/compare.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from bench import (
    coach_bench,
    compare,
    corpus_bench,
    database_bench,
    doctor_bench,
    gate,
    header_bench,
    incidents_bench,
    maintenance_bench,
    memory_bench,
    pages_bench,
    record,
    recovery_bench,
    startup_bench,
    statement_timing_bench,
    throughput_bench,
)


def _around(suite: str, measure: Callable[[argparse.Namespace], dict]) -> Callable[[argparse.Namespace], dict]:
    return lambda args: record.around(suite, lambda: measure(args))


SUITES = {
    "coach": _around("coach", lambda args: coach_bench.run(args.seconds, args.workers)),
    "maintenance": _around("maintenance", lambda args: maintenance_bench.run(args.maintenance_mb)),
    "pages": _around("pages", lambda args: pages_bench.run()),
    "startup": _around("startup", lambda args: startup_bench.run()),
    "recovery": _around("recovery", lambda args: recovery_bench.run()),
    "headers": _around("headers", lambda args: header_bench.run()),
    "incidents": _around("incidents", lambda args: incidents_bench.run()),
    "corpus": _around("corpus", lambda args: corpus_bench.run()),
    "doctor": _around("doctor", lambda args: doctor_bench.run()),
    "memory": _around("memory", lambda args: memory_bench.run()),
    "database": _around("database", lambda args: database_bench.run()),
    "throughput": _around("throughput", lambda args: throughput_bench.run(min(args.seconds, 15))),
    "statement_timing": _around("statement_timing", lambda args: statement_timing_bench.run()),
    "gate": lambda args: gate.measure(),  # its reference runs interleaved with its rounds
}


def main(argv: list[str]) -> int:
    if argv[:1] == ["compare"]:
        return compare.main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=30, help="length of each load run")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--maintenance-mb", type=int, default=200, help="size of the generated SQLite database")
    parser.add_argument("--only", choices=sorted(SUITES), action="append", help="run only these suites")
    args = parser.parse_args(argv)
    for name in args.only or sorted(SUITES):
        run = SUITES[name](args)
        path = record.save(run)
        print(json.dumps(run, indent=2))
        print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
