"""Per-statement timing on real SQLite and PostgreSQL: bounded labels in /metrics, no values in labels or
logs, the slow-statement log above monitoring.yaml's threshold, and the history the weekly review reads."""

from __future__ import annotations

import json
import logging
import re

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, text

from memo_coach.config_store.versions import active_version, apply
from memo_coach.db.engine import session_scope
from memo_coach.observability.db_timing import KINDS, OTHER
from memo_coach.observability.history.models import MetricSample
from memo_coach.observability.history.rollup import RAW
from memo_coach.runtime import Runtime
from tests.support.helpers import make_settings

SECRET = "hunter2-do-not-log-7731"


@pytest.fixture
def settings(tmp_path, database_url):
    """SQLite and PostgreSQL both: the statements and their texts differ between them."""
    return make_settings(tmp_path, database_url)


def statement_series(client, headers) -> list:
    body = client.get("/metrics", headers=headers).text
    family = next(
        f for f in text_string_to_metric_families(body) if f.name == "memo_coach_db_statement_duration_seconds"
    )
    return [s for s in family.samples if s.name.endswith("_count")], body


def set_threshold(runtime, ms: float) -> None:
    with session_scope(runtime.sessions) as session:
        content = active_version(session, "monitoring").content
        apply(
            session,
            "monitoring",
            re.sub(r"slow_statement_ms: \S+", f"slow_statement_ms: {ms}", content),
            author="admin",
            reason="test threshold",
        )
    runtime.sampler.tick()  # the sampler re-reads the threshold


def test_statements_are_timed_by_kind_and_table_with_no_value_anywhere(app, client, admin_headers, caplog):
    runtime = app.state.runtime
    set_threshold(runtime, 0)  # every statement is slow: each must log without its values
    with caplog.at_level(logging.WARNING, logger="memo_coach.db.slow"):
        with session_scope(runtime.sessions) as session:
            # A literal in the SQL text and a bound parameter: neither may reach a label or a log line.
            session.execute(text(f"SELECT id FROM users WHERE username = '{SECRET}'"))
            session.execute(text("SELECT id FROM users WHERE username = :name"), {"name": SECRET})
            session.execute(text(f"SELECT '{SECRET}'"))
        client.get("/api/v1/evaluations", headers=admin_headers)
    counts, body = statement_series(client, admin_headers)
    labels = {(s.labels["kind"], s.labels["table"]) for s in counts}
    assert ("select", "users") in labels and ("insert", "user_sessions") in labels
    assert ("select", "other") in labels  # `SELECT '...'` names no table
    assert all(kind in (*KINDS, OTHER) for kind, _ in labels)
    assert SECRET not in body

    lines = [r for r in caplog.records if r.name == "memo_coach.db.slow"]
    assert any(r.table == "users" and r.kind == "select" and "username = ?" in r.sql for r in lines)
    assert all(SECRET not in r.getMessage() + json.dumps(r.__dict__, default=str) for r in lines)
    log_file = (runtime.settings.data_dir / "logs" / "app.log").read_text()
    assert '"logger": "memo_coach.db.slow"' in log_file and SECRET not in log_file
    assert SECRET not in json.dumps([s.sql for s in runtime.observability.timing.recent])
    page = client.get("/ops?window=1h", headers=admin_headers).text
    assert "Slow statements" in page and "<code>SELECT " in page and SECRET not in page


def test_nothing_is_logged_below_the_threshold(app, client, admin_headers, caplog):
    runtime = app.state.runtime
    set_threshold(runtime, 60_000)
    runtime.observability.timing.recent.clear()
    with caplog.at_level(logging.WARNING, logger="memo_coach.db.slow"):
        client.get("/api/v1/evaluations", headers=admin_headers)
    assert not [r for r in caplog.records if r.name == "memo_coach.db.slow"]
    assert not runtime.observability.timing.recent


def test_the_sampler_keeps_per_statement_and_per_route_means_and_slow_counts(app, client, admin_headers):
    runtime = app.state.runtime
    set_threshold(runtime, 0)
    client.get("/api/v1/evaluations", headers=admin_headers)
    runtime.sampler.tick()
    with session_scope(runtime.sessions) as session:
        rows = session.execute(
            select(MetricSample.name, MetricSample.labels).where(MetricSample.resolution == RAW)
        ).all()
    stored = {(name, label) for name, label in rows}
    assert ("db_statement_mean_s", "select users") in stored
    assert ("slow_statements_per_s", "select users") in stored
    assert ("route_mean_s", "GET /api/v1/evaluations") in stored


def test_switched_off_no_statement_is_timed(tmp_path, sqlite_url):
    runtime = Runtime(make_settings(tmp_path, sqlite_url, statement_timing=False))
    try:
        with session_scope(runtime.sessions) as session:
            session.execute(text("SELECT 1"))
        assert runtime.statement_timing is None
        names = {f.name for f in runtime.metrics.collect()}
        assert "memo_coach_db_statement_duration_seconds" not in names
    finally:
        runtime.stop()
