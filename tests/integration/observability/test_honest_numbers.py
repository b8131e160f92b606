"""Numbers that do not mislead: a maintenance window's 503s are not server errors, error totals after a
restart count each error once, the browser's icon request is not the top error."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from memo_coach.db.base import utcnow
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.maintenance.mode.service import switch_off, switch_on
from memo_coach.observability.history.models import MetricSample
from memo_coach.observability.history.rollup import RAW, downsample
from memo_coach.observability.history.series import WINDOWS, labelled_totals
from memo_coach.observability.metrics import observe_request

MEMO = "We request $40,000 by May 1 to replace the failing build servers. Approve the purchase by Friday."
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def tick_around(app, traffic) -> dict[tuple[str, str], float]:
    """A baseline tick, `traffic()`, a second tick 15 s later; the points the second one stored."""
    sampler = app.state.runtime.observability.sampler
    start = utcnow() - timedelta(seconds=30)
    sampler.tick(start)
    traffic()
    sampler.tick(start + timedelta(seconds=15))
    with session_scope(app.state.runtime.sessions) as s:
        rows = s.scalars(select(MetricSample).where(MetricSample.ts == start + timedelta(seconds=15)))
        return {(r.name, r.labels): r.value for r in rows}


def test_a_maintenance_windows_503s_are_counted_apart_not_as_server_errors(app, client, writer_headers):
    def traffic():
        with session_scope(app.state.runtime.sessions) as s:
            switch_on(s, "admin", "upgrading the database")
        refused = [
            client.post("/api/v1/evaluations/submit", headers=writer_headers, json={"text_content": MEMO}),
            client.post("/api/v1/support/tickets", headers=writer_headers, json={}),  # the app-wide guard's
        ]
        assert [r.status_code for r in refused] == [503, 503]
        with session_scope(app.state.runtime.sessions) as s:
            switch_off(s, "admin")

    points = tick_around(app, traffic)
    assert points[("error_rate", "")] == 0.0
    assert points[("errors_per_s", "maintenance_503")] == pytest.approx(2 / 15)
    assert ("errors_per_s", "http_503") not in points


def test_a_503_outside_maintenance_is_still_a_server_error(app):
    points = tick_around(app, lambda: observe_request("GET", "/x", 503, 0.01, None))
    assert points[("error_rate", "")] > 0 and points[("errors_per_s", "http_503")] > 0


@pytest.fixture
def sqlite_sessions(sqlite_url):
    engine = make_engine(sqlite_url)
    yield make_session_factory(engine)
    engine.dispose()


def test_errors_around_a_restart_are_counted_once_in_the_24h_totals(sqlite_sessions):
    """The old process sampled the first minute of a bucket, the restarted one (a new replica name) the
    last minute; each saw 4 errors. Rolled up as each replica's mean over its own samples and read back
    over five minutes, they would count 20 each."""
    with session_scope(sqlite_sessions) as s:
        for replica, first_tick in (("host-100", 0), ("host-200", 16)):
            for tick in range(first_tick, first_tick + 4):
                ts = T0 + timedelta(seconds=15 * tick)
                s.add(
                    MetricSample(
                        ts=ts, resolution=RAW, replica=replica, name="errors_per_s", labels="http_500", value=1 / 15
                    )
                )
                s.add(
                    MetricSample(ts=ts, resolution=RAW, replica=replica, name="requests_per_s", labels="", value=2 / 15)
                )
    now = T0 + timedelta(minutes=5, seconds=1)
    with session_scope(sqlite_sessions) as s:
        downsample(s, now)
    with session_scope(sqlite_sessions) as s:
        errors = labelled_totals(s, "errors_per_s", WINDOWS["24h"], now, 15)
        requests = labelled_totals(s, "requests_per_s", WINDOWS["24h"], now, 15)
    assert errors == {"http_500": pytest.approx(8)}
    assert requests[""] == pytest.approx(16)


def test_the_app_serves_its_icon_so_browsers_get_no_404(client):
    icon = client.get("/favicon.ico", follow_redirects=False)
    assert icon.status_code == 301 and icon.headers["location"] == "/static/favicon.svg"
    svg = client.get("/favicon.ico")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/login").text
