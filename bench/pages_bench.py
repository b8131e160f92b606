"""Benchmarks of the writer pages (issue 3): server time per page with 1,000 stored evaluations for one
writer, the PDF export, and the first load of the submit page in Chromium.

python -m bench.pages_bench [--evaluations 1000] [--requests 200]   (JSON result in bench/results/)

Page times are measured at an HTTP client on the same machine, one request at a time against
`memo-coach serve` with one worker, so they are an upper bound on the server's own time.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.coach_bench import percentile
from bench.server import app_server, sign_in
from memo_coach.auth.roles import Role
from memo_coach.coaching.models import COACH, WRITER, ChatMessage
from memo_coach.config_store.versions import ConfigCache
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from tests.support.helpers import settled_user
from tests.support.seed import seed_evaluations

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = Path("/usr/bin/chromium")
WRITER_PASSWORD = "bench-writer-password"


def seed(data_dir: Path, count: int) -> list[int]:
    """A writer with `count` completed evaluations and a short chat on the newest one."""
    engine = make_engine(f"sqlite:///{(data_dir / 'memo_coach.db').resolve()}")
    try:
        with session_scope(make_session_factory(engine)) as session:
            user = settled_user(session, "bench-writer", Role.writer, WRITER_PASSWORD, actor="bench")
            rubric = ConfigCache().current(session).rubric
            ids = seed_evaluations(session, user.id, count, rubric)
            for role, text in ((WRITER, "How do I make the ask clearer?"), (COACH, "Lead with the amount.")):
                session.add(ChatMessage(evaluation_id=ids[-1], user_id=user.id, role=role, content=text))
        return ids
    finally:
        engine.dispose()


def page_times(base: str, token: str, paths: list[str], requests: int) -> dict:
    results = {}
    with httpx.Client(base_url=base, headers={"X-Session-Token": token}, timeout=30) as client:
        for path in paths:
            for _ in range(10):  # warm-up: templates compiled, caches filled
                assert client.get(path).status_code == 200, path
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, path
            results[path] = {
                "p50_ms": percentile(times, 50),
                "p95_ms": percentile(times, 95),
                "max_ms": round(max(times), 2),
            }
    return results


def first_load_in_chromium(base: str, token: str, runs: int = 5) -> dict | str:
    """Navigation start to the load event of the submit page, each run in a fresh context (cold cache)."""
    if not CHROMIUM.exists():
        return f"skipped: no Chromium at {CHROMIUM}"
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS

    loads = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context()
            context.add_cookies([{"name": "memo_session", "value": token, "url": base}])
            page = context.new_page()
            page.goto(base + "/", wait_until="load")
            loads.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
            context.close()
        browser.close()
    return {"runs_ms": [round(v, 1) for v in loads], "max_ms": round(max(loads), 1)}


def run(evaluations: int = 1000, requests: int = 200) -> dict:
    with tempfile.TemporaryDirectory() as tmp, app_server(Path(tmp), workers=1) as (base, _, _pid):
        ids = seed(Path(tmp), evaluations)
        token = sign_in(base, "bench-writer", WRITER_PASSWORD)
        newest, memo_page = ids[-1], ids[-1]
        paths = [
            "/",
            "/history",
            f"/history?page={evaluations // 20}",
            f"/evaluations/{newest}",
            f"/evaluations/{ids[len(ids) // 2]}",
            "/memos/1/revise",
            "/help",
        ]
        pages = page_times(base, token, paths, requests)
        pdf = page_times(base, token, [f"/evaluations/{memo_page}/pdf"], max(5, requests // 20))
        return {
            "evaluations_stored": evaluations,
            "requests_per_page": requests,
            "pages": pages,
            "worst_page_p95_ms": max(r["p95_ms"] for r in pages.values()),
            "pdf": pdf,
            "chromium_first_load_of_submit_page": first_load_in_chromium(base, token),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--evaluations", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    result = {"suite": "pages", "at": datetime.now(UTC).isoformat(), "results": run(args.evaluations, args.requests)}
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"pages-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
