"""Ticket email through a real SMTP server (aiosmtpd on a loopback port): both directions, and a dead server."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from memo_coach.config_store.versions import active_version, apply
from memo_coach.db.engine import session_scope
from tests.support.helpers import create_user, make_settings

TICKETS = "/api/v1/support/tickets"


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages = []

    def handle_message(self, message) -> None:
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def settings(tmp_path, sqlite_url, inbox):
    return make_settings(tmp_path, sqlite_url, smtp_host="127.0.0.1", smtp_port=inbox[1])


@pytest.fixture
def support_address(app):
    with session_scope(app.state.runtime.sessions) as session:
        content = active_version(session, "support").content.replace(
            "support_address: null", "support_address: help@example.org"
        )
        apply(session, "support", content, author="test", reason="announce tickets")


def test_support_hears_of_new_tickets_and_writers_get_answers_by_email(client, admin_headers, inbox, support_address):
    handler, _ = inbox
    writer = create_user(client, admin_headers, "dana")
    support = create_user(client, admin_headers, "sam", "support")
    body = {"category": "question", "summary": "Scores", "description": "Why 3?", "contact_email": "dana@example.org"}
    ticket = client.post(TICKETS, headers=writer, json=body).json()["data"]
    client.post(f"{TICKETS}/{ticket['id']}/replies", headers=support, json={"body": "Clarity counts double."})
    client.post(f"{TICKETS}/{ticket['id']}/replies", headers=writer, json={"body": "Thanks, got it."})
    sent = [(m["To"], m["Subject"], m.get_payload()) for m in handler.messages]
    assert [to for to, _, _ in sent] == ["help@example.org", "dana@example.org", "help@example.org"]
    assert all(f"#{ticket['id']}]" in subject for _, subject, _ in sent)
    assert "Clarity counts double." in sent[1][2] and "Thanks, got it." in sent[2][2]


def test_a_dead_mail_server_never_loses_the_reply(client, admin_headers, inbox, app):
    app.state.runtime.settings.smtp_port = free_port()  # nothing listens there
    writer = create_user(client, admin_headers, "dana")
    support = create_user(client, admin_headers, "sam", "support")
    body = {"category": "question", "summary": "Q", "description": "?", "contact_email": "dana@example.org"}
    ticket = client.post(TICKETS, headers=writer, json=body).json()["data"]
    answered = client.post(f"{TICKETS}/{ticket['id']}/replies", headers=support, json={"body": "Here is how."})
    assert answered.status_code == 201 and answered.json()["data"]["messages"][-1]["body"] == "Here is how."
    assert inbox[0].messages == []


def test_no_smtp_host_sends_nothing(tmp_path, sqlite_url):
    from memo_coach.support.tickets.mail import send_email

    assert send_email(make_settings(tmp_path, sqlite_url), "a@example.org", "b@example.org", "s", "b") is False


def test_a_line_break_in_the_summary_stays_in_the_subject_line(client, admin_headers, inbox, support_address):
    """CR LF in a summary once made the email library refuse the header: a 500 for the writer."""
    handler, _ = inbox
    writer = create_user(client, admin_headers, "dana")
    support = create_user(client, admin_headers, "sam", "support")
    summary = "Refund\r\nBcc: victim@example.org\u2028X-Injected: yes"
    body = {"category": "question", "summary": summary, "description": "?", "contact_email": "dana@example.org"}
    opened = client.post(TICKETS, headers=writer, json=body)
    assert opened.status_code == 201, opened.text
    client.post(f"{TICKETS}/{opened.json()['data']['id']}/replies", headers=support, json={"body": "Done."})
    assert len(handler.messages) == 2
    for message in handler.messages:
        assert message["Bcc"] is None and message["X-Injected"] is None
        assert message["Subject"].endswith("Refund Bcc: victim@example.org X-Injected: yes")


def test_a_contact_address_with_a_control_character_is_refused_in_words(client, admin_headers):
    writer = create_user(client, admin_headers, "dana")
    body = {"category": "question", "summary": "Q", "description": "?", "contact_email": "dana\x07@example.org"}
    refused = client.post(TICKETS, headers=writer, json=body)
    assert refused.status_code in (400, 422) and refused.json()["errors"][0]["field"] == "contact_email"


def test_a_failed_send_logs_no_word_of_the_ticket(client, admin_headers, app, caplog, support_address):
    app.state.runtime.settings.smtp_port = free_port()  # nothing listens there
    writer = create_user(client, admin_headers, "dana")
    body = {"category": "question", "summary": "Zanzibar", "description": "?", "contact_email": "dana@example.org"}
    with caplog.at_level("WARNING", logger="memo_coach.support.tickets.mail"):
        assert client.post(TICKETS, headers=writer, json=body).status_code == 201
    failures = [r for r in caplog.records if r.getMessage() == "support email not sent"]
    assert failures and all("Zanzibar" not in str(r.__dict__) for r in failures)
    log_file = app.state.runtime.settings.data_dir / "logs" / "app.log"
    assert "support email not sent" in log_file.read_text() and "Zanzibar" not in log_file.read_text()
