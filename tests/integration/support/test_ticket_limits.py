"""Opening tickets is rate-limited per account and per address, on both doors, and a ticket's context
reads only the tail of the log."""

from __future__ import annotations

import json

import pytest

from memo_coach.config_store.versions import active_version, apply
from memo_coach.db.engine import session_scope
from memo_coach.support.tickets.context import ticket_context
from tests.support.helpers import create_user
from tests.support.pages import sign_in_page

TICKETS = "/api/v1/support/tickets"
BODY = {"category": "question", "summary": "Scores", "description": "Why 3?"}


@pytest.fixture
def two_per_account_three_per_address(app):
    with session_scope(app.state.runtime.sessions) as session:
        content = active_version(session, "auth").content
        limited = content.replace(
            "ticket: {per_account: 10, per_client: 30, window_seconds: 3600}",
            "ticket: {per_account: 2, per_client: 3, window_seconds: 3600}",
        )
        assert limited != content
        apply(session, "auth", limited, author="test", reason="few tickets")


def test_the_api_refuses_the_ticket_past_the_account_and_the_address_limit(
    client, admin_headers, two_per_account_three_per_address
):
    dana = create_user(client, admin_headers, "dana")
    eve = create_user(client, admin_headers, "eve")
    assert [client.post(TICKETS, headers=dana, json=BODY).status_code for _ in range(2)] == [201, 201]
    refused = client.post(TICKETS, headers=dana, json=BODY)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "this account" in refused.json()["errors"][0]["message"]
    assert client.post(TICKETS, headers=eve, json=BODY).status_code == 201  # the address's third
    from_address = client.post(TICKETS, headers=eve, json=BODY)
    assert from_address.status_code == 429 and "this client" in from_address.json()["errors"][0]["message"]
    assert len(client.get(TICKETS, headers=admin_headers).json()["data"]) == 3


def test_the_page_says_so_and_keeps_the_words(client, admin_headers, two_per_account_three_per_address):
    token = sign_in_page(client, admin_headers, "dana")
    form = {"csrf_token": token, "category": "problem", "summary": "Stuck", "description": "Kept words", "page": "/"}
    sent = [client.post("/support/tickets", data=form, follow_redirects=False) for _ in range(3)]
    assert [r.status_code for r in sent] == [303, 303, 429]
    assert 'role="alert">too many ticket' in sent[2].text and "Kept words" in sent[2].text


def _line(user_id: int, request_id: str, pad: int = 0) -> str:
    entry = {"level": "INFO", "message": "request", "request_id": request_id, "user_id": user_id, "pad": "x" * pad}
    return json.dumps(entry) + "\n"


def test_a_tickets_context_reads_only_the_tail_of_the_log(settings):
    """A request of the writer's 1.5 MB back (15,000 lines) is not found: nothing before the tail is read."""
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True)
    (logs / "app.log.1").write_text(_line(7, "older-file"))
    filler = "".join(_line(8, f"other-{i}", pad=40) for i in range(15_000))
    assert len(filler) > 1.5e6
    (logs / "app.log").write_text(_line(7, "long-ago") + filler + _line(7, "just-now"))
    assert ticket_context(settings, 7, None, [], None)["request_ids"] == ["just-now"]
    (logs / "app.log").write_text(_line(7, "just-now"))  # a short file: the rest of the budget reads the rotated one
    assert ticket_context(settings, 7, None, [], None)["request_ids"] == ["just-now", "older-file"]
