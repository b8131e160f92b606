"""Tickets through the API: triage by rules, incident linking, replies both ways, targets, rating, reports."""

from __future__ import annotations

from datetime import timedelta

import pytest

from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.incidents import service
from memo_coach.support.models import Ticket
from tests.integration.support.conftest import open_incident_on
from tests.support.helpers import create_user, make_settings

TICKETS = "/api/v1/support/tickets"


@pytest.fixture
def settings(tmp_path, database_url):
    """Tickets are stored data: both databases."""
    return make_settings(tmp_path, database_url)


@pytest.fixture
def support_headers(client, admin_headers):
    return create_user(client, admin_headers, "sam-support", "support")


def open_ticket(client, headers, **fields):
    body = {"category": "problem", "summary": "It broke", "description": "The page shows an error.", **fields}
    response = client.post(TICKETS, headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


def test_a_ticket_is_triaged_by_the_first_matching_rule(client, writer_headers):
    data = open_ticket(client, writer_headers, summary="Evaluation stuck", description="It says timeout, no feedback.")
    # config/support.yaml: "evaluation-failed" matches problem tickets that mention a timeout.
    assert (data["cause"], data["priority"], data["status"], data["component"]) == (
        "evaluation-failed",
        "high",
        "triaged",
        "llm",
    )
    locked = open_ticket(
        client, writer_headers, category="other", summary="Locked out", description="My account is locked"
    )
    assert (locked["cause"], locked["category"], locked["priority"]) == ("cannot-sign-in", "account", "high")
    plain = open_ticket(
        client, writer_headers, category="question", summary="Rubric", description="Where is the rubric?"
    )
    assert (plain["cause"], plain["priority"], plain["status"]) == (None, "normal", "new")


def test_the_context_is_attached_but_the_memo_only_when_ticked(client, writer_headers, support_headers):
    evaluation = client.post(
        "/api/v1/evaluations/submit",
        headers=writer_headers,
        json={"text_content": "We request a budget of 4,000 euros for a pilot. " * 3},
    ).json()["data"]
    page = f"/evaluations/{evaluation['id']}"
    without = open_ticket(client, writer_headers, page=page, request_ids=["abc-123"])
    assert without["context"]["evaluation_id"] == evaluation["id"] and without["context"]["page"] == page
    assert "abc-123" in without["context"]["request_ids"] and without["context"]["app_version"]
    assert without["memo_attached"] is False
    shown = client.get(f"{TICKETS}/{without['id']}", headers=support_headers).json()["data"]
    assert shown["memo_text"] is None
    ticked = open_ticket(client, writer_headers, page=page, include_memo=True)
    shown = client.get(f"{TICKETS}/{ticked['id']}", headers=support_headers).json()["data"]
    assert shown["memo_text"].startswith("We request a budget")
    # The writer sees that it was attached, never a copy through the API meant for support.
    assert "memo_text" not in client.get(f"{TICKETS}/{ticked['id']}", headers=writer_headers).json()["data"]


def test_a_ticket_on_a_component_with_an_open_incident_is_linked_and_answered(app, client, writer_headers):
    with session_scope(app.state.runtime.sessions) as session:
        incident = open_incident_on(
            session, "llm", "LLM provider errors", update="Evaluations use the offline analyzer for now."
        )
        service.set_visibility(session, incident, "public", "Slow or failing evaluations", "dana")
        ref = str(incident.id)
    data = open_ticket(client, writer_headers, description="Evaluation failed with an error")
    assert data["incident"] == ref
    [note] = data["messages"]
    assert note["side"] == "system" and "Evaluations use the offline analyzer for now." in note["body"]
    unrelated = open_ticket(
        client, writer_headers, category="question", summary="Q", description="How is clarity scored?"
    )
    assert unrelated["incident"] is None and unrelated["messages"] == []


def test_a_ticket_linked_to_an_internal_incident_hears_nothing_of_its_operator_words(app, client, writer_headers):
    with session_scope(app.state.runtime.sessions) as session:
        incident = open_incident_on(session, "llm", "anthropic 429 from 10.0.3.7 (key sk-ops)")
        service.add_note(session, incident, "dana", "Evaluations use the offline analyzer for now.", public=True)
    data = open_ticket(client, writer_headers, description="Evaluation failed with an error")
    [note] = data["messages"]
    assert "10.0.3.7" not in note["body"] and "offline analyzer" not in note["body"]


def test_replies_go_both_ways_and_move_the_status(client, writer_headers, support_headers):
    ticket = open_ticket(client, writer_headers)
    url = f"{TICKETS}/{ticket['id']}"
    answered = client.post(f"{url}/replies", headers=support_headers, json={"body": "Could you retry now?"}).json()[
        "data"
    ]
    assert answered["status"] == "waiting_on_writer" and answered["first_response_at"]
    back = client.post(f"{url}/replies", headers=writer_headers, json={"body": "Retried, it works."}).json()["data"]
    assert back["status"] == "triaged"
    assert [m["side"] for m in back["messages"]] == ["support", "writer"]
    assigned = client.post(f"{url}/assign", headers=support_headers, json={"assignee": "sam-support"}).json()["data"]
    assert assigned["assignee"] == "sam-support"
    refused = client.post(f"{url}/assign", headers=support_headers, json={"assignee": "writer1"})
    assert refused.status_code == 422 and "not an active support account" in refused.json()["errors"][0]["message"]
    early = client.post(f"{url}/rating", headers=writer_headers, json={"satisfaction": 5})
    assert early.status_code == 409
    resolved = client.post(f"{url}/status", headers=support_headers, json={"status": "resolved"}).json()["data"]
    assert resolved["status"] == "resolved" and resolved["resolved_at"]
    rated = client.post(f"{url}/rating", headers=writer_headers, json={"satisfaction": 4, "comment": "quick"}).json()[
        "data"
    ]
    assert rated["satisfaction"] == 4
    assert client.post(f"{url}/status", headers=writer_headers, json={"status": "triaged"}).status_code == 403
    closed = client.post(f"{url}/status", headers=writer_headers, json={"status": "closed"}).json()["data"]
    assert closed["status"] == "closed"
    assert client.post(f"{url}/replies", headers=writer_headers, json={"body": "one more"}).status_code == 409


def test_writers_see_only_their_own_tickets(client, admin_headers, writer_headers, support_headers):
    mine = open_ticket(client, writer_headers)
    other = create_user(client, admin_headers, "writer2")
    assert client.get(f"{TICKETS}/{mine['id']}", headers=other).status_code == 404
    assert client.get(TICKETS, headers=other).json()["data"] == []
    assert [t["id"] for t in client.get(TICKETS, headers=support_headers).json()["data"]] == [mine["id"]]


def test_bad_input_gets_a_clear_error(client, writer_headers):
    empty = client.post(
        TICKETS, headers=writer_headers, json={"category": "problem", "summary": " ", "description": "x"}
    )
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "summary"
    unknown = client.post(
        TICKETS, headers=writer_headers, json={"category": "rant", "summary": "a", "description": "b"}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "category"
    email = client.post(
        TICKETS,
        headers=writer_headers,
        json={"category": "other", "summary": "a", "description": "b", "contact_email": "nope"},
    )
    assert email.status_code == 422 and email.json()["errors"][0]["field"] == "contact_email"
    no_memo = client.post(
        TICKETS,
        headers=writer_headers,
        json={"category": "other", "summary": "a", "description": "b", "include_memo": True},
    )
    assert no_memo.status_code == 422 and no_memo.json()["errors"][0]["field"] == "include_memo"


def test_overdue_tickets_and_the_report(client, app, writer_headers, support_headers):
    late = open_ticket(client, writer_headers, summary="Locked", description="I am locked out")  # high: 4 h to answer
    fresh = open_ticket(client, writer_headers, category="question", summary="Q", description="How?")
    with session_scope(app.state.runtime.sessions) as session:
        session.get(Ticket, late["id"]).created_at = utcnow() - timedelta(hours=5)
    queue = {t["id"]: t for t in client.get(f"{TICKETS}?status=open", headers=support_headers).json()["data"]}
    assert queue[late["id"]]["overdue"] == ["first_response"] and queue[fresh["id"]]["overdue"] == []
    client.post(f"{TICKETS}/{late['id']}/replies", headers=support_headers, json={"body": "Unlocked."})
    client.post(f"{TICKETS}/{late['id']}/status", headers=support_headers, json={"status": "resolved"})
    client.post(f"{TICKETS}/{late['id']}/rating", headers=writer_headers, json={"satisfaction": 5})
    report = client.get("/api/v1/support/reports?days=7", headers=support_headers).json()["data"]
    assert report["opened"] == 2 and report["by_category"] == {"account": 1, "question": 1}
    assert report["first_response"]["count"] == 1 and report["first_response"]["median_hours"] >= 5
    assert report["resolution"]["count"] == 1 and report["satisfaction"]["mean"] == 5
    assert dict(report["top_causes"]) == {"cannot-sign-in": 1, "untriaged": 1}
    assert client.get("/api/v1/support/reports", headers=writer_headers).status_code == 403
