"""The sampler on a live app, and the console that reads it: page, charts, API."""

import re
from datetime import timedelta

from sqlalchemy import select

from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.observability.console import slowest_routes
from memo_coach.observability.history.models import MetricSample
from tests.support.helpers import create_user

MEMO = "Budget request: we need two analysts because the backlog doubled. Please approve by Friday."


def sample_twice(app, client, headers):
    """A first tick to set the counters' baseline, traffic, then a second tick 15 s later."""
    sampler = app.state.runtime.observability.sampler
    start = utcnow() - timedelta(seconds=30)
    sampler.tick(start)
    client.post("/api/v1/evaluations/submit", headers=headers, json={"text_content": MEMO})
    client.get("/api/v1/evaluations/424242", headers=headers)
    sampler.tick(start + timedelta(seconds=15))


def stored(app) -> dict[tuple[str, str], float]:
    with session_scope(app.state.runtime.sessions) as s:
        return {(r.name, r.labels): r.value for r in s.scalars(select(MetricSample).order_by(MetricSample.ts))}


def test_a_tick_stores_rates_percentiles_resources_and_health(app, client, writer_headers):
    sample_twice(app, client, writer_headers)
    points = stored(app)
    assert points[("requests_per_s", "")] >= 2 / 15
    assert points[("errors_per_s", "http_404")] > 0
    assert points[("evaluations_per_s", "")] >= 1 / 15
    assert points[("latency_p50_s", "")] <= points[("latency_p95_s", "")] <= points[("latency_p99_s", "")]
    assert points[("evaluation_p95_s", "")] > 0
    assert points[("database_bytes", "")] > 0 and points[("disk_free_bytes", "")] > 0
    assert points[("process_memory_bytes", "")] > 0
    assert points[("health_status", "database")] == 0.0
    assert all(len(replica) > 0 for replica in {r for r in _replicas(app)})


def _replicas(app):
    with session_scope(app.state.runtime.sessions) as s:
        return set(s.scalars(select(MetricSample.replica).distinct()))


def test_the_console_page_shows_components_charts_errors_and_capacity(app, client, admin_headers):
    sample_twice(app, client, admin_headers)
    page = client.get("/ops?window=1h", headers=admin_headers)
    assert page.status_code == 200
    html = page.text
    for text in ("database", "Trends, last 1h", "/ops/charts/latency_p95_s.svg?window=1h", "http_404", "Disk full in"):
        assert text in html
    assert '<summary class="current">Operations</summary>' in html  # the nav group, operators only
    assert "Needs attention now" in html
    svg = client.get("/ops/charts/requests_per_s.svg?window=1h", headers=admin_headers)
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<polyline" in svg.text
    empty = client.get("/ops/charts/llm_availability.svg?window=30d", headers=admin_headers)
    assert "no data yet" in empty.text
    # The fix sits next to the warning; numbers carry units, not exponents.
    assert (
        "<strong>Fix:</strong> Take and verify a backup now" in html and "<code>memo-coach backup create</code>" in html
    )
    assert not re.search(r"\d\.\d+e[+-]\d", html)
    points = client.get("/ops/charts/requests_per_s.json?window=1h", headers=admin_headers).json()
    assert points["unit"] == "rate" and points["points"] and len(points["points"][0]) == 2
    assert client.get("/ops/charts/nope.json", headers=admin_headers).status_code == 404


def test_writers_see_no_console_and_no_link(client, admin_headers):
    writer = create_user(client, admin_headers, "w1")
    assert client.get("/ops", headers=writer).status_code == 403
    assert "/ops" not in client.get("/", headers=writer).text


def test_the_api_serves_the_same_data(app, client, admin_headers):
    sample_twice(app, client, admin_headers)
    overview = client.get("/api/v1/ops/overview?window=1h", headers=admin_headers).json()["data"]
    assert overview["window"] == "1h" and overview["health"]["status"] == "degraded"  # no backup verified yet
    assert overview["summary"]["requests_per_s"] > 0
    assert "http_404" in overview["top_errors"]
    # The request histogram is process-wide: in a full run, other tests' slower routes may fill the top 8.
    routes = overview["slowest_routes"]
    assert routes and [r["mean_ms"] for r in routes] == sorted((r["mean_ms"] for r in routes), reverse=True)
    assert any(r["route"] == "/api/v1/evaluations/submit" for r in slowest_routes(limit=1000))
    history = client.get("/api/v1/ops/history/requests_per_s?window=1h", headers=admin_headers).json()["data"]
    assert len(history["points"]) == 1
    assert client.get("/api/v1/ops/history/x?window=2y", headers=admin_headers).status_code == 422
    for report in ("degradation", "capacity"):
        assert client.get(f"/api/v1/ops/reports/{report}", headers=admin_headers).status_code == 200


def test_the_app_samples_on_its_own_while_it_runs(tmp_path, sqlite_url, admin_password):
    import time

    from fastapi.testclient import TestClient

    from memo_coach.web.app import create_app
    from tests.support.helpers import make_settings

    app = create_app(make_settings(tmp_path, sqlite_url, history_sampler=True, sample_interval_seconds=0.2))
    with TestClient(app) as client:
        client.get("/health")
        deadline = time.monotonic() + 10
        while ("requests_per_s", "") not in stored(app) and time.monotonic() < deadline:
            time.sleep(0.1)
    assert ("requests_per_s", "") in stored(app)
    assert not app.state.runtime.observability.sampler.is_alive()  # stopped with the app
