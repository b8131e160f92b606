"""The scheduled reviews: each runs as a task on planted data, and its report is kept and shown on the console."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from memo_coach.audit import record
from memo_coach.config_store.versions import active_version, apply, read_active
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.incidents import reviews as incident_reviews
from memo_coach.incidents import service as incidents
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.maintenance.scheduler import service as tasks
from memo_coach.maintenance.scheduler.models import SUCCEEDED
from memo_coach.observability.history.models import MetricSample
from memo_coach.support.models import SupportAction
from memo_coach.support.reviews.reports import REVIEWS
from tests.integration.support.conftest import open_incident_on


def run(app, name: str) -> dict:
    run_id = tasks.run_now(app.state.runtime.tasks, name, "operator", "test")
    with session_scope(app.state.runtime.sessions) as session:
        done = tasks.get_run(session, run_id)
        assert done.status == SUCCEEDED, done.reason
        return {"id": run_id, "summary": done.summary, "report": done.details}


def write_log(settings, *entries: dict) -> None:
    path = settings.data_dir / "logs" / "app.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        for entry in entries:
            f.write(json.dumps(entry) + "\n")


def error(minutes_ago: float, exc: str, rid: str) -> dict:
    at = (utcnow() - timedelta(minutes=minutes_ago)).isoformat()
    return {
        "time": at,
        "level": "ERROR",
        "logger": "memo_coach.access",
        "message": "request",
        "request_id": rid,
        "exc_type": exc,
        "route": "/api/v1/evaluations/submit",
        "status": 500,
    }


def test_the_daily_error_review_finds_new_types_with_counts_and_sample_ids(app, settings):
    write_log(
        settings,
        error(3 * 24 * 60, "OperationalError", "old-1"),
        error(60, "OperationalError", "r1"),
        error(30, "KeyError", "r2"),
        error(20, "KeyError", "r3"),
        error(10, "KeyError", "r4"),
        error(5, "KeyError", "r5"),
    )
    report = run(app, "error_log_review")["report"]
    top = {row["error"]: row for row in report["top"]}
    keyerror = "KeyError at /api/v1/evaluations/submit"
    assert report["errors"] == 5 and top[keyerror]["count"] == 4
    assert top[keyerror]["sample_request_ids"] == ["r5", "r4", "r3"]
    assert report["new_types"] == [keyerror]  # OperationalError was seen three days ago
    write_log(settings, error(1, "KeyError", "r6"))
    assert run(app, "error_log_review")["report"]["new_types"] == []  # the earlier report knew it


def test_the_weekly_performance_review_compares_with_last_week(app):
    now = utcnow()
    with session_scope(app.state.runtime.sessions) as session:
        for days, value in ((1, 0.4), (2, 0.4), (8, 0.2), (9, 0.2)):
            session.add(
                MetricSample(
                    ts=now - timedelta(days=days),
                    resolution=300,
                    replica="r",
                    name="latency_p95_s",
                    labels="",
                    value=value,
                )
            )
    outcome = run(app, "performance_review")
    latency = outcome["report"]["comparisons"][0]
    assert (latency["this_week"], latency["last_week"], latency["change"]) == (0.4, 0.2, 1.0)
    assert outcome["report"]["latency_regressed"] is True and "+100%" in outcome["summary"]


def test_the_weekly_configuration_review_lists_changes_refusals_and_drift(app, settings):
    with session_scope(app.state.runtime.sessions) as session:
        content = active_version(session, "auth").content.replace("session_hours: 12", "session_hours: 8")
        apply(session, "auth", content, author="admin", reason="shorter sessions")
        record(session, "file", "config.refused", "llm", {"problems": ["line 3: bad"]})
    (settings.config_dir / "rubric.yaml").write_text("edited on disk\n")
    report = run(app, "configuration_review")["report"]
    assert any(c["file"] == "auth" and c["reason"] == "shorter sessions" for c in report["changes"])
    assert [r["file"] for r in report["refusals"]] == ["llm"]
    assert {"file": "rubric", "problem": "disk differs from active version 1"} in report["drift"]


def test_the_weekly_support_review(app, client, writer_headers):
    body = {"category": "question", "summary": "Q", "description": "How?"}
    client.post("/api/v1/support/tickets", headers=writer_headers, json=body)
    report = run(app, "support_review")["report"]
    assert report["opened"] == 1 and report["by_category"] == {"question": 1}


def test_the_monthly_system_and_process_reviews_gather_incidents_and_actions(app):
    now = utcnow()
    with session_scope(app.state.runtime.sessions) as session:
        incident = open_incident_on(session, "llm", "LLM down", now=now - timedelta(days=2))
        incidents.resolve(
            session, read_active(session, MonitoringConfig), incident, "dana", now=now - timedelta(days=1)
        )
        incident_reviews.add_action_item(
            session, incident, "Add a second provider", "dana", (now - timedelta(days=1)).date()
        )
        incident_id = incident.id
        session.add(SupportAction(title="Document the 429 fix", created_by="sam", due_at=now + timedelta(days=3)))
        session.add(SupportAction(title="Reword the rubric help", created_by="sam", done_at=now - timedelta(days=1)))
    system = run(app, "system_review")["report"]
    assert system["incidents"]["count"] == 1 and system["incidents"]["items"][0]["title"] == "LLM down"
    assert system["health"]["status"] in ("OK", "WARN", "FAIL")
    assert {"service_levels", "capacity", "tickets", "evaluation_satisfaction"} <= set(system)
    process = run(app, "process_review")["report"]
    assert [a["title"] for a in process["open"]] == ["Document the 429 fix", "Add a second provider (owner dana)"]
    assert [(a["title"], a["source"]) for a in process["overdue"]] == [
        ("Add a second provider (owner dana)", f"incident {incident_id}")
    ]
    assert [a["title"] for a in process["done_this_month"]] == ["Reword the rubric help"]


def test_the_technology_review_compares_versions_and_end_of_life(app):
    report = run(app, "technology_review")["report"]
    names = {row["name"]: row for row in report["components"]}
    assert names["python"]["latest_known"] == "3.14" and names["python"]["behind"] is True
    assert names["sqlite"]["installed"] and report["end_of_life"][0]["runtime"].startswith("python 3.")


@pytest.mark.parametrize("name", sorted(REVIEWS))
def test_every_review_is_scheduled(name):
    from memo_coach.config_store.loader import load_file
    from memo_coach.maintenance.config import MaintenanceConfig
    from tests.support.helpers import CONFIG_DIR

    config: MaintenanceConfig = load_file("maintenance", CONFIG_DIR)[0]
    assert name in config.tasks and config.tasks[name].enabled


def test_reports_are_kept_and_shown_on_the_console(app, client, admin_headers, writer_headers):
    first = run(app, "support_review")
    second = run(app, "support_review")
    listed = {r["review"]: r for r in client.get("/api/v1/ops/reviews", headers=admin_headers).json()["data"]}
    assert listed["support_review"]["run_id"] == second["id"]
    assert [h["run_id"] for h in listed["support_review"]["history"]] == [second["id"], first["id"]]
    assert listed["technology_review"]["run_id"] is None
    page = client.get("/ops/reviews", headers=admin_headers).text
    assert f'href="/ops/reviews/{second["id"]}">Support review</a>' in page and "not run yet" in page
    shown = client.get(f"/ops/reviews/{first['id']}", headers=admin_headers).text
    assert "Support review" in shown and "by category" in shown
    assert client.get("/ops/reviews", headers=writer_headers).status_code == 403


def test_follow_up_actions_are_recorded_completed_and_refused_in_words(app):
    from memo_coach.errors import Conflict, InvalidInput, NotFound
    from memo_coach.support.actions import add_action, complete_action, list_actions

    now = utcnow()
    with session_scope(app.state.runtime.sessions) as session:
        first = add_action(session, "Document the 429 fix", "sam", now, due_at=now - timedelta(days=1))
        add_action(session, "Reword the help page", "sam", now)
        complete_action(session, first.id, now)
        with pytest.raises(Conflict):
            complete_action(session, first.id, now)
        with pytest.raises(InvalidInput):
            add_action(session, " ", "sam", now)
        with pytest.raises(NotFound):
            add_action(session, "x", "sam", now, ticket_id=999)
        assert [a.title for a in list_actions(session)] == ["Reword the help page"]
    process = run(app, "process_review")["report"]
    assert [a["title"] for a in process["done_this_month"]] == ["Document the 429 fix"] and process["overdue"] == []
