"""Cost of per-statement timing (MEMO_COACH_STATEMENT_TIMING) on throughput, on and off in one run.

    .venv/bin/python -m bench.statement_timing_bench 2>/dev/null

Two apps on one SQLite database, the same but for that setting, called in process over ASGI in
alternating rounds (instrumentation_bench.in_process), on /health and on an authenticated API read
(several statements a request); then bare statements, a primary-key read through a session, on two
engines, one with the listeners attached; then the listeners alone, called directly. Results in
bench/results/statement_timing.json.
Target: throughput ratio (on / off) >= 0.95 for the requests.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.instrumentation_bench import RESULTS, environment, in_process, own_password, prepare


def bare_statements(data_dir: Path, statements: int = 2000, rounds: int = 20) -> dict:
    """Microseconds per statement with and without the listeners, alternating rounds."""
    os.environ.update(environment(data_dir, True))
    from sqlalchemy import select

    from memo_coach.assembly import assemble
    from memo_coach.auth.models import User
    from memo_coach.db.engine import make_engine, make_session_factory
    from memo_coach.observability.db_timing import StatementTiming
    from memo_coach.settings import Settings

    assemble()
    url = Settings().sqlalchemy_url
    engines = {"on": make_engine(url), "off": make_engine(url)}
    StatementTiming(lambda _session: 250.0).attach(engines["on"])
    sessions = {key: make_session_factory(engine) for key, engine in engines.items()}
    query = select(User.id).where(User.id == 1)
    runs: dict[str, list[float]] = {"on": [], "off": []}
    try:
        for i in range(rounds):
            for key in ("on", "off") if i % 2 == 0 else ("off", "on"):
                with sessions[key]() as session:
                    started = time.perf_counter()
                    for _ in range(statements):
                        session.execute(query).scalar()
                    runs[key].append((time.perf_counter() - started) / statements * 1e6)
    finally:
        for engine in engines.values():
            engine.dispose()
    on, off = statistics.median(runs["on"]), statistics.median(runs["off"])
    best_on, best_off = min(runs["on"]), min(runs["off"])  # the rounds least disturbed by other load
    return {
        "on_us_per_statement": round(on, 2),
        "off_us_per_statement": round(off, 2),
        "throughput_ratio": round(off / on, 3),
        "best_round_added_us_per_statement": round(best_on - best_off, 2),
    }


def listener_cost(statements: int = 200_000) -> float:
    """Microseconds the two listeners add to one statement, called directly: the figure the shared
    machine disturbs least, since nothing else runs in between."""
    from types import SimpleNamespace

    from memo_coach.assembly import assemble
    from memo_coach.observability.db_timing import StatementTiming

    assemble()
    timing, context = StatementTiming(lambda _session: 250.0), SimpleNamespace()
    sql = "SELECT users.id FROM users WHERE users.id = ?"
    started = time.perf_counter()
    for _ in range(statements):
        timing._before(None, None, sql, None, context, False)
        timing._after(None, None, sql, None, context, False)
    return round((time.perf_counter() - started) / statements * 1e6, 2)


def run() -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="memo-coach-bench-"))
    try:
        password = own_password(data_dir, prepare(data_dir))
        result = {
            "requests": in_process(data_dir, password, switch="statement_timing"),
            "statements": bare_statements(data_dir),
            "listeners_us_per_statement": listener_cost(),
            "cpus": os.cpu_count(),
        }
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    result["checks"] = {
        "request_throughput_ratio_at_least_0.95": all(
            r["throughput_ratio"] >= 0.95 for r in result["requests"].values()
        ),
    }
    return result


def main() -> None:
    result = run()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "statement_timing.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
