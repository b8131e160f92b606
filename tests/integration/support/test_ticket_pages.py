"""The support pages over HTTP: Get help shows what it attaches, replies appear, the queue flags overdue."""

from __future__ import annotations

import re
from datetime import timedelta

from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.support.models import Ticket
from tests.support.helpers import create_user
from tests.support.pages import form_token, sign_in_page, submit

MEMO = "We request 12,000 euros to pilot a support desk in March. The desk answers writers within a day."


def test_get_help_is_on_every_page_and_shows_the_context_before_sending(client, admin_headers):
    token = sign_in_page(client, admin_headers, "dana")
    evaluation_id = submit(client, token, MEMO)
    page = client.get(f"/evaluations/{evaluation_id}")
    link = re.search(r'class="get-help" href="([^"]+)"', page.text).group(1).replace("&amp;", "&")
    assert link.startswith(f"/support/new?from=/evaluations/{evaluation_id}&rid=")
    assert page.headers["x-request-id"] in link  # the page's own request, to find its log lines
    form = client.get(link, headers={"User-Agent": "TestBrowser/1.0"}).text
    context = re.search(r'<dl class="facts" id="ticket-context">(.*?)</dl>', form, re.S).group(1)
    assert f"/evaluations/{evaluation_id}" in context and f"<dd>{evaluation_id}</dd>" in context
    assert page.headers["x-request-id"] in context and "TestBrowser/1.0" in context and "not sent" in context
    assert 'name="include_memo"' in form
    assert "Get help" in client.get("/history").text and "Get help" in client.get("/help").text


def test_a_writer_opens_a_ticket_and_reads_the_reply_under_my_tickets(client, admin_headers):
    token = sign_in_page(client, admin_headers, "dana")
    sent = client.post(
        "/support/tickets",
        data={
            "csrf_token": token,
            "category": "problem",
            "summary": "Stuck",
            "description": "The evaluation failed.",
            "page": "/",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303
    ticket_id = int(re.search(r"/support/tickets/(\d+)", sent.headers["location"]).group(1))
    support = create_user(client, admin_headers, "sam", "support")
    client.post(f"/api/v1/support/tickets/{ticket_id}/replies", headers=support, json={"body": "Please try again now."})
    mine = client.get("/support/tickets").text
    assert f"#{ticket_id} Stuck" in mine and "waiting on writer" in mine
    page = client.get(f"/support/tickets/{ticket_id}").text
    assert "Please try again now." in page and "Support (sam)" in page
    replied = client.post(f"/support/tickets/{ticket_id}/reply", data={"csrf_token": token, "body": "Works now."})
    assert replied.status_code == 200 and "Works now." in replied.text


def test_a_refused_ticket_comes_back_with_the_words_kept(client, admin_headers):
    token = sign_in_page(client, admin_headers, "dana")
    page = client.post(
        "/support/tickets",
        data={"csrf_token": token, "category": "problem", "summary": "", "description": "kept words"},
    )
    assert page.status_code == 422 and "the summary is empty" in page.text and "kept words" in page.text


def test_the_queue_highlights_overdue_tickets_for_support_only(client, app, admin_headers):
    writer = create_user(client, admin_headers, "dana")
    body = {"category": "account", "summary": "Locked out", "description": "my account is locked"}
    ticket = client.post("/api/v1/support/tickets", headers=writer, json=body).json()["data"]
    with session_scope(app.state.runtime.sessions) as session:
        session.get(Ticket, ticket["id"]).created_at = utcnow() - timedelta(hours=30)
    sign_in_page(client, admin_headers, "sam-support")
    assert client.get("/support/queue").status_code == 403  # a writer account (sign_in_page makes writers)
    client.cookies.clear()
    create_user(client, admin_headers, "sue", "support")
    token = form_token(client.get("/login").text)
    client.post("/login", data={"username": "sue", "password": "pw-sue-long-enough", "csrf_token": token})
    queue = client.get("/support/queue").text
    row = re.search(rf'<tr class="overdue"><th scope="row"><a href="/support/tickets/{ticket["id"]}">', queue)
    assert row and "overdue: first response, resolution" in queue
    assert "Opened</dt><dd>1</dd>" in queue
