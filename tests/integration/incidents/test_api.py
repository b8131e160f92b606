"""The doors: incidents API and pages, the Alertmanager webhook, the public status and its feed, the CLI."""

from __future__ import annotations

from pydantic import SecretStr

from tests.support.helpers import create_user

FIRING_ALERT = {
    "status": "firing",
    "labels": {"alertname": "HighLatency", "severity": "critical", "component": "website"},
    "annotations": {"summary": "p95 above 2 s"},
    "startsAt": "2026-03-02T12:00:00Z",
    "endsAt": "0001-01-01T00:00:00Z",
    "generatorURL": "http://prometheus/graph",
    "fingerprint": "abc123",
}


def payload(status: str, **extra) -> dict:
    alert = dict(FIRING_ALERT, status=status)
    return {
        "version": "4",
        "groupKey": '{}:{alertname="HighLatency"}',
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "memo-coach",
        "groupLabels": {"alertname": "HighLatency"},
        "commonLabels": alert["labels"],
        "commonAnnotations": alert["annotations"],
        "externalURL": "http://alertmanager",
        "alerts": [alert],
        **extra,
    }


def test_alertmanager_alerts_become_incidents_deduplicated_by_fingerprint(app, client, admin_headers):
    app.state.runtime.settings.alertmanager_token = SecretStr("am-token")
    url, auth = "/api/v1/alerts/alertmanager", {"Authorization": "Bearer am-token"}
    assert client.post(url, json=payload("firing")).status_code == 401
    assert client.post(url, json=payload("firing"), headers={"Authorization": "Bearer wrong"}).status_code == 401
    first = client.post(url, json=payload("firing", routeLabels={}, notification_reason="new"), headers=auth)
    assert first.status_code == 200, first.text
    assert len(first.json()["data"]["opened"]) == 1
    again = client.post(url, json=payload("firing"), headers=auth).json()["data"]
    assert again["opened"] == [] and again["updated"] == first.json()["data"]["opened"]
    (incident,) = client.get("/api/v1/incidents", headers=admin_headers).json()["data"]
    assert (incident["severity"], incident["source"], incident["component"]) == ("P1", "alertmanager", "website")
    resolved = client.post(url, json=payload("resolved"), headers=auth).json()["data"]
    assert resolved["resolved"] == [incident["id"]]
    assert client.get("/api/v1/incidents", headers=admin_headers).json()["data"] == []


def test_a_bad_alertmanager_payload_gets_a_clear_error(app, client):
    app.state.runtime.settings.alertmanager_token = SecretStr("am-token")
    auth = {"Authorization": "Bearer am-token"}
    response = client.post("/api/v1/alerts/alertmanager", json={"version": "3", "alerts": []}, headers=auth)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"version", "status"}


def test_the_lifecycle_through_the_api_keeps_internal_notes_off_the_status_page(client, admin_headers):
    operator = create_user(client, admin_headers, "op1", "operator")
    body = {"title": "Slow PDFs", "severity": "P2", "component": "website"}
    created = client.post("/api/v1/incidents", headers=operator, json=body | {"visibility": "public"})
    assert created.json()["errors"][0]["code"] == "public_title_required"
    created = client.post(
        "/api/v1/incidents", headers=operator, json=body | {"visibility": "public", "public_title": "PDFs are slow"}
    )
    assert created.status_code == 201, created.text
    iid = created.json()["data"]["id"]
    client.post(f"/api/v1/incidents/{iid}/ack", headers=operator)
    client.post(f"/api/v1/incidents/{iid}/notes", headers=operator, json={"message": "db host 10.0.0.7 swapping"})
    client.post(
        f"/api/v1/incidents/{iid}/notes",
        headers=operator,
        json={"message": "PDFs are slow; we are on it", "public": True},
    )
    bad = client.post(f"/api/v1/incidents/{iid}/severity", headers=operator, json={"severity": "P3", "reason": ""})
    assert bad.status_code == 422
    status = client.get("/api/v1/status").json()["data"]
    assert status["components"][0] == {"name": "website", "state": "degraded"}
    updates = [u["message"] for u in status["active_incidents"][0]["updates"]]
    assert "PDFs are slow; we are on it" in updates and not any("10.0.0.7" in u for u in updates)
    feed = client.get("/status/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert "PDFs are slow" in feed.text and "10.0.0.7" not in feed.text
    assert "PDFs are slow" in client.get("/status").text and "Slow PDFs" not in client.get("/status").text
    writer = create_user(client, admin_headers, "w1")
    assert "We know about a problem: PDFs are slow (investigating)" in client.get("/", headers=writer).text
    client.post(f"/api/v1/incidents/{iid}/resolve", headers=operator, json={"message": "index rebuilt"})
    refused = client.post(f"/api/v1/incidents/{iid}/reviewed", headers=operator)
    assert refused.status_code == 409 and refused.json()["errors"][0]["code"] == "review_required"
    client.put(f"/api/v1/incidents/{iid}/review", headers=operator, json={"root_cause": "missing index"})
    client.post(
        f"/api/v1/incidents/{iid}/action-items",
        headers=operator,
        json={"text": "add index check to CI", "owner": "op1", "due": "2020-01-01"},
    )
    assert client.post(f"/api/v1/incidents/{iid}/reviewed", headers=operator).json()["data"]["status"] == "reviewed"
    markdown = client.get(f"/api/v1/incidents/{iid}/review.md", headers=operator).text
    assert "## Root cause\nmissing index" in markdown and "- [ ] add index check to CI (owner op1" in markdown
    stats = client.get("/api/v1/incidents/stats", headers=operator).json()["data"]
    assert stats["months"][0]["severity"] == "P2" and stats["months"][0]["mtta_seconds"] is not None
    assert [a["text"] for a in stats["overdue_action_items"]] == ["add index check to CI"]
    assert "PDFs are slow" in client.get("/status").text  # past incidents, by day
    assert "We know about a problem" not in client.get("/", headers=writer).text


def test_the_console_pages_show_incidents_and_rules(client, admin_headers):
    public = {"visibility": "public", "public_title": "Some pages are slow"}
    client.post("/api/v1/incidents", headers=admin_headers, json={"title": "Disk noisy", "severity": "P4"} | public)
    status = client.get("/api/v1/status").json()["data"]
    assert status["status"] == "degraded", "an incident on no listed component still shows in the overall state"
    page = client.get("/ops/incidents", headers=admin_headers)
    assert page.status_code == 200 and "Disk noisy" in page.text and "llm_unavailable" in page.text
    detail = client.get("/ops/incidents/1", headers=admin_headers)
    assert detail.status_code == 200 and "triggered" in detail.text
