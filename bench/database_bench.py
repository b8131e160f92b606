"""What PostgreSQL carries per evaluation and per page view, and so at 10x and 100x today's load.

    python -m bench.database_bench [--evaluations 200] [--views 200] [--concurrency 8]

One `memo-coach serve` replica with default monitoring (history sampler on; the scheduler runs in the
worker, as in deploy/systemd) on a private PostgreSQL database. PostgreSQL's own counters
(pg_stat_database: transactions, rows written and read) are read after each phase with the server
stopped, because a backend reports its counters when it goes idle or exits. A run that only starts,
idles 2 s and stops is subtracted from each phase (noise below zero shows as 0); a 12 s idle run gives
the background rate per process.
pg_stat_statements is not preloaded on this server, so statements are not counted one by one.
Results: bench/results/database.json.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import threading
import time
from pathlib import Path

import psycopg

from tests.drills.servers import Site
from tests.support import postgres

RESULTS = Path(__file__).parent / "results"
COUNTERS = ("xact_commit", "xact_rollback", "tup_inserted", "tup_updated", "tup_deleted", "tup_fetched")
MEMO = "Memo {n}: we ask for two engineers by June to cut the ticket backlog by 30%. Approve by Friday."
# The evaluations/s one machine answered in the measurement (offline analyzer, 10 connections).
TODAY_EVALUATIONS_PER_SECOND = 60
POOL = {"pool_size": 10, "max_overflow": 20}  # memo_coach.db.engine for PostgreSQL, per process


def _counters(url: str) -> dict[str, int]:
    with psycopg.connect(postgres.ADMIN_URL) as conn:
        row = conn.execute(
            f"SELECT {', '.join(COUNTERS)} FROM pg_stat_database WHERE datname = %s", (url.rsplit("/", 1)[1],)
        ).fetchone()
    return dict(zip(COUNTERS, row, strict=True))


def _connections(url: str) -> int:
    with psycopg.connect(postgres.ADMIN_URL) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (url.rsplit("/", 1)[1],)
        ).fetchone()[0]


def _phase(site: Site, url: str, work, idle_seconds: float = 0) -> tuple[dict[str, int], float, int, float]:
    """Counters spent by one server run doing `work`; also its wall time and peak connections."""
    before = _counters(url)
    server = site.serve(MEMO_COACH_HISTORY_SAMPLER="true")
    started = time.monotonic()
    peak = [_connections(url)]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.2):
            peak.append(_connections(url))

    watcher = threading.Thread(target=watch)
    watcher.start()
    busy = work(server) if work else 0.0
    time.sleep(idle_seconds)
    done.set()
    watcher.join()
    seconds = time.monotonic() - started
    server.stop()
    time.sleep(0.5)  # the exiting backends' counters reach pg_stat_database
    after = _counters(url)
    return {k: after[k] - before[k] for k in COUNTERS}, seconds, max(peak), busy


def _load(server, requests: list[tuple[str, str, dict]], concurrency: int, headers: dict) -> float:
    todo = iter(requests)
    lock = threading.Lock()
    errors = []

    def client() -> None:
        with server.client() as c:
            while True:
                with lock:
                    item = next(todo, None)
                if item is None:
                    return
                method, path, body = item
                answer = c.request(method, path, headers=headers, json=body or None)
                if answer.status_code >= 400:
                    errors.append(answer.status_code)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} requests failed: {sorted(set(errors))}")
    return time.monotonic() - started


def run(evaluations: int = 200, views: int = 200, concurrency: int = 8) -> dict:
    with tempfile.TemporaryDirectory() as tmp, postgres.private_database("memo_coach_bench") as url:
        site = Site(Path(tmp), database_url=url).init(unthrottled=True)
        try:
            start_stop, _, _, _ = _phase(site, url, None, idle_seconds=2)
            idle, idle_s, idle_connections, _ = _phase(site, url, None, idle_seconds=12)
            # An upper bound: start and stop are included.
            per_second = {k: idle[k] / idle_s for k in COUNTERS}

            def net(spent: dict, seconds: float, count: int) -> dict:
                return {k: max(0.0, round((spent[k] - start_stop[k]) / count, 2)) for k in COUNTERS}

            headers = {}

            def submit(server) -> float:
                headers.update(server.sign_in("alice"))
                body = [
                    ("POST", "/api/v1/evaluations/submit", {"text_content": MEMO.format(n=n)})
                    for n in range(evaluations)
                ]
                return _load(server, body, concurrency, headers)

            spent, seconds, eval_connections, eval_busy = _phase(site, url, submit)
            per_evaluation = net(spent, seconds, evaluations)

            def view(server) -> float:
                headers.update(server.sign_in("alice"))
                pages = [("GET", f"/evaluations/{1 + n % evaluations}", {}) for n in range(views)]
                return _load(server, pages, concurrency, headers)

            spent, seconds, view_connections, view_busy = _phase(site, url, view)
            per_view = net(spent, seconds, views)
        finally:
            site.stop_all()

    def transactions(rate: float) -> float:
        return round(rate * (per_evaluation["xact_commit"] + per_evaluation["xact_rollback"]), 1)

    return {
        "concurrency": concurrency,
        "evaluations": evaluations,
        "page_views": views,
        "per_evaluation": per_evaluation,
        "per_page_view": per_view,
        "background_per_second_per_process": {k: round(v, 2) for k, v in per_second.items()},
        "evaluations_per_second_measured": round(evaluations / eval_busy, 1),
        "page_views_per_second_measured": round(views / view_busy, 1),
        "connections": {
            "idle_replica": idle_connections,
            "peak_during_evaluations": eval_connections,
            "peak_during_page_views": view_connections,
            "pool_limit_per_process": POOL["pool_size"] + POOL["max_overflow"],
        },
        "today_evaluations_per_second": TODAY_EVALUATIONS_PER_SECOND,
        "transactions_per_second_for_evaluations": {
            "today": transactions(TODAY_EVALUATIONS_PER_SECOND),
            "10x": transactions(10 * TODAY_EVALUATIONS_PER_SECOND),
            "100x": transactions(100 * TODAY_EVALUATIONS_PER_SECOND),
        },
        "rows_written_per_second_for_evaluations": {
            f"{x}x": round(
                x
                * TODAY_EVALUATIONS_PER_SECOND
                * sum(per_evaluation[k] for k in ("tup_inserted", "tup_updated", "tup_deleted")),
                1,
            )
            for x in (1, 10, 100)
        },
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=200)
    parser.add_argument("--views", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    result = run(args.evaluations, args.views, args.concurrency)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "database.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
