"""Public and internal kept apart: the status page, its JSON, its Atom feed and the writers' banner show
only public incidents, under their public title, in plain words, with their public updates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import SecretStr

from memo_coach.config_store.loader import ConfigError
from memo_coach.config_store.versions import read_active
from memo_coach.db.engine import session_scope
from memo_coach.incidents import service
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.evaluator import RuleEvaluator
from memo_coach.incidents.models import Incident
from tests.integration.incidents.conftest import T0, record, use_monitoring
from tests.support.helpers import create_user
from tests.support.pages import form_token

SECRET_SUMMARY = "db-7.internal.example (10.3.4.5) is out of memory"
ALERT = {
    "version": "4",
    "status": "firing",
    "alerts": [
        {
            "status": "firing",
            "labels": {"alertname": "HostOutOfMemory", "severity": "critical", "component": "website"},
            "annotations": {"summary": SECRET_SUMMARY},
            "fingerprint": "f00d",
        }
    ],
}
# Words only operators should read: titles, alert names and summaries, notes, and the console's jargon.
INTERNAL_WORDS = (
    "db-7",
    "10.3.4.5",
    "HostOutOfMemory",
    "accounts were locked",
    "P1",
    "P3",
    "triggered",
    "alertmanager",
)


def surfaces(client, writer: dict) -> dict[str, str]:
    """Every public surface as text: the page, its JSON, its feed, and a writer's page with the banner."""
    return {
        "page": client.get("/status").text,
        "json": client.get("/api/v1/status").text,
        "feed": client.get("/status/feed.atom").text,
        "banner": client.get("/history", headers=writer).text,
    }


def alertmanager_incident(app, client) -> int:
    app.state.runtime.settings.alertmanager_token = SecretStr("am-token")
    answer = client.post("/api/v1/alerts/alertmanager", json=ALERT, headers={"Authorization": "Bearer am-token"})
    return answer.json()["data"]["opened"][0]


def lockout_incident(sessions) -> int:
    with session_scope(sessions) as session:
        config = read_active(session, MonitoringConfig)
        incident = service.open_incident(
            session, config, title="Several accounts were locked by failed sign-ins", severity="P3", source="rule"
        )
        service.add_note(session, incident, "dana", "accounts alice, bob and carol", public=False)
        return incident.id


def test_internal_incidents_reach_no_public_surface(app, client, admin_headers, sessions):
    writer = create_user(client, admin_headers, "wren")
    alertmanager_incident(app, client)
    iid = lockout_incident(sessions)
    # A public note on an internal incident still waits until the incident is published.
    client.post(f"/api/v1/incidents/{iid}/notes", headers=admin_headers, json={"message": "xyzzy", "public": True})
    for name, text in surfaces(client, writer).items():
        assert not [w for w in (*INTERNAL_WORDS, "xyzzy") if w in text], name
    status = client.get("/api/v1/status").json()["data"]
    assert status["status"] == "operational" and status["active_incidents"] == []
    assert "We know about a problem" not in surfaces(client, writer)["banner"]
    assert len(client.get("/api/v1/incidents", headers=admin_headers).json()["data"]) == 2  # operators see both


def test_a_published_incident_shows_its_public_title_plain_state_and_public_updates_only(app, client, admin_headers):
    writer = create_user(client, admin_headers, "wren")
    iid = alertmanager_incident(app, client)
    published = client.post(
        f"/api/v1/incidents/{iid}/visibility",
        headers=admin_headers,
        json={"visibility": "public", "public_title": "Some pages fail to load"},
    )
    assert published.status_code == 200, published.text
    assert published.json()["data"]["visibility"] == "public"
    client.post(f"/api/v1/incidents/{iid}/notes", headers=admin_headers, json={"message": "restarted db-7"})
    client.post(
        f"/api/v1/incidents/{iid}/status",
        headers=admin_headers,
        json={"status": "mitigated", "message": "swap off on db-7"},
    )
    note = {"message": "We restarted a server; pages load again.", "public": True}
    client.post(f"/api/v1/incidents/{iid}/notes", headers=admin_headers, json=note)

    for name, text in surfaces(client, writer).items():
        assert not [w for w in INTERNAL_WORDS if w in text], name
        assert "Some pages fail to load" in text, name
    (shown,) = client.get("/api/v1/status").json()["data"]["active_incidents"]
    assert set(shown) == {"id", "title", "status", "impact", "component", "started_at", "resolved_at", "updates"}
    assert (shown["title"], shown["status"], shown["impact"]) == (
        "Some pages fail to load",
        "Monitoring",
        "Major outage",
    )
    assert [u["message"] for u in shown["updates"]] == [
        "We are aware of a problem and are looking into it.",
        "A fix is in place and we are watching the results.",
        "We restarted a server; pages load again.",
    ]
    texts = surfaces(client, writer)
    assert "We know about a problem: Some pages fail to load (monitoring)" in texts["banner"]
    assert "Major outage" in texts["page"] and "(Monitoring: major outage)" in texts["page"]

    client.post(f"/api/v1/incidents/{iid}/visibility", headers=admin_headers, json={"visibility": "internal"})
    for name, text in surfaces(client, writer).items():
        assert "Some pages fail to load" not in text, name


def test_publishing_needs_a_public_title_and_works_from_the_incident_page(client, admin_headers, sessions):
    iid = lockout_incident(sessions)
    refused = client.post(f"/api/v1/incidents/{iid}/visibility", headers=admin_headers, json={"visibility": "public"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "public_title_required"
    loose = client.post(
        f"/api/v1/incidents/{iid}/visibility",
        headers=admin_headers,
        json={"visibility": "public", "public_title": "Sign-in trouble", "extra": 1},
    )
    assert loose.status_code == 422

    create_user(client, admin_headers, "olga", "operator")
    token = form_token(client.get("/login").text)
    client.post("/login", data={"username": "olga", "password": "pw-olga-long-enough", "csrf_token": token})
    page = f"/ops/incidents/{iid}/act"
    empty = client.post(page, data={"action": "publish", "public_title": " ", "csrf_token": token})
    assert "public incident needs a public title" in empty.text
    client.post(page, data={"action": "publish", "public_title": "Some people cannot sign in", "csrf_token": token})
    detail = client.get(f"/ops/incidents/{iid}")
    assert "yes, as “Some people cannot sign in”" in detail.text
    assert "Some people cannot sign in" in client.get("/status").text
    assert "accounts were locked" not in client.get("/status").text
    client.post(page, data={"action": "hide", "csrf_token": token})
    assert "Some people cannot sign in" not in client.get("/status").text


WRITER_FACING = """
  - {name: llm_down, summary: LLM provider 10.9.9.9 down, severity: P2, source: {kind: health, components: [llm],
     aggregate: min}, op: ">=", threshold: 1, window_seconds: 30, component: evaluations,
     affects_writers: true, public_title: Feedback is simpler than usual}
  - {name: lockouts, summary: Several accounts were locked, severity: P3, source: {kind: lockouts}, op: ">=",
     threshold: 0, window_seconds: 900}
"""


def test_a_writer_facing_rule_opens_a_public_incident_and_the_others_stay_internal(client, sessions):
    use_monitoring(sessions, WRITER_FACING)
    record(sessions, "health_status", [1.0] * 4, label="llm")
    RuleEvaluator(sessions, "replica-a").tick(T0 + timedelta(seconds=45))
    with session_scope(sessions) as session:
        opened = {i.cause: (i.visibility, i.public_title) for i in session.query(Incident)}
    assert opened == {"llm_down": ("public", "Feedback is simpler than usual"), "lockouts": ("internal", "")}
    status = client.get("/api/v1/status")
    assert [i["title"] for i in status.json()["data"]["active_incidents"]] == ["Feedback is simpler than usual"]
    assert "10.9.9.9" not in status.text and "locked" not in status.text


def test_a_writer_facing_rule_without_a_public_title_is_refused(sessions):
    rule = """
  - {name: llm_down, summary: LLM down, severity: P2, source: {kind: health, components: [llm]}, threshold: 1,
     affects_writers: true}
"""
    with pytest.raises(ConfigError, match="public_title"):
        use_monitoring(sessions, rule)
