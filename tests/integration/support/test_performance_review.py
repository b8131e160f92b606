"""The weekly performance review names the slowest statements and routes with this week against last
week, from history rows the sampler wrote after real statements and requests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from memo_coach.config_store.versions import active_version, apply
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.scheduler import service as tasks
from memo_coach.maintenance.scheduler.models import SUCCEEDED
from tests.support.helpers import make_settings

# A statement on `users` that does real work: recursion the database cannot skip, portable to both.
HEAVY = (
    "SELECT count(*) FROM users CROSS JOIN (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
    "WHERE x < {rows}) SELECT x FROM c) AS n"
)


@pytest.fixture
def settings(tmp_path, database_url):
    """SQLite and PostgreSQL: the review groups history rows by label in SQL."""
    return make_settings(tmp_path, database_url)


def week(runtime, client, headers, at, rows: int) -> None:
    """Two samples 15 s apart around one heavy statement and one request, at a chosen time."""
    runtime.sampler.tick(at)
    with session_scope(runtime.sessions) as session:
        session.execute(text(HEAVY.format(rows=rows)))
    client.get("/api/v1/evaluations", headers=headers)
    runtime.sampler.tick(at + timedelta(seconds=15))


def test_the_review_lists_the_slowest_statements_and_routes_with_their_trend(app, client, admin_headers):
    runtime = app.state.runtime
    with session_scope(runtime.sessions) as session:  # every statement counts as slow, however fast the machine
        content = active_version(session, "monitoring").content.replace(
            "slow_statement_ms: 250", "slow_statement_ms: 0"
        )
        apply(session, "monitoring", content, author="admin", reason="test")
    now = utcnow()
    week(runtime, client, admin_headers, now - timedelta(days=8), rows=10)
    week(runtime, client, admin_headers, now - timedelta(days=1), rows=200_000)
    runtime.sampler.tick(now)  # rolls yesterday's samples into the five-minute tier the review reads

    run_id = tasks.run_now(runtime.tasks, "performance_review", "operator", "test")
    with session_scope(runtime.sessions) as session:
        run = tasks.get_run(session, run_id)
        assert run.status == SUCCEEDED, run.reason
        report = run.details

    statements = {row["name"]: row for row in report["slowest_statements"]}
    heavy = statements["select users"]
    assert heavy == report["slowest_statements"][0]
    assert heavy["last_week_ms"] is not None and heavy["this_week_ms"] > heavy["last_week_ms"]
    assert heavy["change"] > 0 and heavy["slow_this_week"] > 0 and heavy["slow_last_week"] > 0
    routes = {row["name"]: row for row in report["slowest_routes"]}
    listing = routes["GET /api/v1/evaluations"]
    assert listing["this_week_ms"] > 0 and listing["last_week_ms"] > 0
