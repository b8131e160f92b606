"""A writer's tickets in their export and after their erasure, and the SQLite files after an erasure:
real rows through the API, the database files read as bytes."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from memo_coach.db.engine import session_scope
from memo_coach.support.models import Ticket, TicketMessage
from memo_coach.web.app import create_app
from tests.support.helpers import create_user, initialise, make_settings, sign_in

TICKETS = "/api/v1/support/tickets"
PHRASE = "ultramarine walruses audit the lighthouse ledger"
MEMO = f"Subject: Fund the lighthouse\n\nWe ask for 4,000 euros. {PHRASE}. Results are reported in May."


def open_ticket_with_everything(client, writer: dict, support: dict) -> int:
    """A ticket carrying the writer's memo, words, contact address, a reply each way and a rating."""
    evaluation = client.post("/api/v1/evaluations/submit", headers=writer, json={"text_content": MEMO}).json()["data"]
    body = {
        "category": "evaluation_feedback",
        "summary": f"About {PHRASE}",
        "description": f"The coach misread {PHRASE}.",
        "page": f"/evaluations/{evaluation['id']}",
        "include_memo": True,
        "contact_email": "walrus.keeper@example.org",
    }
    ticket = client.post(TICKETS, headers=writer, json=body).json()["data"]
    client.post(f"{TICKETS}/{ticket['id']}/replies", headers=support, json={"body": f"You wrote {PHRASE}; see?"})
    client.post(f"{TICKETS}/{ticket['id']}/replies", headers=writer, json={"body": f"Yes, {PHRASE} again."})
    client.post(f"{TICKETS}/{ticket['id']}/status", headers=support, json={"status": "resolved"})
    rated = client.post(
        f"{TICKETS}/{ticket['id']}/rating", headers=writer, json={"satisfaction": 4, "comment": f"ok {PHRASE}"}
    )
    assert rated.status_code == 200, rated.text
    return ticket["id"]


def erase(client, admin_headers: dict, writer: dict) -> dict:
    request = client.post("/api/v1/account/erasure", headers=writer).json()["data"]
    done = client.post(f"/api/v1/security/erasure-requests/{request['id']}/carry-out", headers=admin_headers)
    assert done.status_code == 200, done.text
    return done.json()["data"]


def test_the_export_holds_the_tickets_and_the_erasure_leaves_them_without_text_or_address(client, app, admin_headers):
    writer = create_user(client, admin_headers, "leaving-writer")
    support = create_user(client, admin_headers, "sam", "support")
    other = create_user(client, admin_headers, "staying-writer")
    ticket_id = open_ticket_with_everything(client, writer, support)
    kept = client.post(TICKETS, headers=other, json={"category": "question", "summary": "Mine", "description": "Q?"})

    exported = client.get("/api/v1/account/export", headers=writer).json()["data"]
    [ticket] = exported["support_tickets"]
    assert ticket["id"] == ticket_id and PHRASE in ticket["description"] and PHRASE in ticket["memo_text"]
    assert ticket["contact_email"] == "walrus.keeper@example.org" and ticket["satisfaction_comment"].endswith(PHRASE)
    bodies = [m["body"] for m in ticket["messages"] if m["side"] != "system"]
    assert bodies == [f"You wrote {PHRASE}; see?", f"Yes, {PHRASE} again."]
    assert exported["retention"]["backup_days"] == 12 * 31  # config/maintenance.yaml keeps 12 monthly backups

    deleted = erase(client, admin_headers, writer)["deleted"]
    assert deleted["support_tickets_cleared"] == 1 and deleted["support_ticket_messages"] >= 2
    with session_scope(app.state.runtime.sessions) as session:
        row = session.get(Ticket, ticket_id)
        stored = [row.summary, row.description, row.memo_text, row.contact_email, row.satisfaction_comment]
        assert PHRASE not in repr(stored) and "walrus" not in repr(stored) and row.context == {}
        assert session.scalars(select(TicketMessage).where(TicketMessage.ticket_id == ticket_id)).all() == []
        assert (row.category, row.status, row.satisfaction) == ("evaluation_feedback", "resolved", 4)
    shown = client.get(f"{TICKETS}/{ticket_id}", headers=support).json()["data"]
    assert PHRASE not in str(shown) and shown["writer"].startswith("erased-")
    report = client.get("/api/v1/support/reports", headers=support).json()["data"]
    assert report["opened"] == 2  # the erased writer's ticket still counts
    assert client.get(f"{TICKETS}/{kept.json()['data']['id']}", headers=other).json()["data"]["summary"] == "Mine"


def test_after_an_erasure_the_sqlite_wal_and_file_hold_none_of_the_erased_text(tmp_path, sqlite_url):
    settings = make_settings(tmp_path, sqlite_url)
    admin_password = initialise(settings).admin_password
    database = Path(sqlite_url.split("///", 1)[1])
    wal = database.with_name(database.name + "-wal")
    needle = PHRASE.encode()
    with TestClient(create_app(settings)) as client:
        admin_headers = sign_in(client, "admin", admin_password)
        writer = create_user(client, admin_headers, "leaving-writer")
        support = create_user(client, admin_headers, "sam", "support")
        open_ticket_with_everything(client, writer, support)
        assert needle in wal.read_bytes() + database.read_bytes()  # the text is on disk before
        erase(client, admin_headers, writer)
        assert needle not in wal.read_bytes(), "the WAL still holds erased text"
        assert b"walrus.keeper" not in wal.read_bytes()
        assert needle not in database.read_bytes(), "the database file still holds erased text"
