"""A writer asks for help in a real browser and reads support's answer; support works the queue."""

from __future__ import annotations

import re

import pytest

from memo_coach.auth.roles import Role

pytestmark = pytest.mark.browser


def sign_in(page, base, username, password):
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/$"))


def test_a_writer_opens_a_ticket_and_sees_the_reply(chromium, server, shots):
    base = server.url
    password = server.add_writer("wendy")
    support_password = server.add_writer("sam", Role.support)
    writer = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(writer, base, "wendy", password)

    # "Get help" is in the header of every page; the form shows what goes with the request.
    writer.goto(f"{base}/history")
    writer.get_by_role("link", name="Get help").click()
    writer.wait_for_url(re.compile(r".*/support/new\?from=/history.*"))
    context = writer.locator("#ticket-context").inner_text()
    assert "/history" in context and "HeadlessChrome" in context and "not sent" in context
    writer.get_by_label("What is it about?").select_option("question")
    writer.get_by_label("In one line").fill("How is clarity scored?")
    writer.get_by_label("What happened, and what did you expect?").fill(
        "My memo got 3 for clarity; what would make it a 4?"
    )
    shots(writer, "support-01-get-help")
    writer.get_by_role("button", name="Send to support").click()
    writer.wait_for_url(re.compile(r".*/support/tickets/\d+\?sent=1"))
    ticket_url = writer.url.split("?")[0]
    assert "Support will answer here" in writer.get_by_role("status").inner_text()

    # Support answers from the queue.
    agent = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(agent, base, "sam", support_password)
    agent.goto(f"{base}/support/queue")
    agent.get_by_role("link", name=re.compile("How is clarity scored")).click()
    agent.get_by_label("Answer the writer").fill("Lead with the ask in the first sentence; that lifts clarity.")
    agent.get_by_role("button", name="Send reply").click()
    assert "waiting on writer" in agent.locator("#ticket-status").inner_text()
    shots(agent, "support-02-answered")

    # The writer finds the answer under My tickets.
    writer.get_by_role("link", name="My tickets").click()
    assert "waiting on writer" in writer.locator("#my-tickets").inner_text()
    writer.get_by_role("link", name=re.compile("How is clarity scored")).click()
    assert writer.url == ticket_url
    messages = writer.locator("#messages").inner_text()
    assert "Lead with the ask in the first sentence" in messages and "Support (sam)" in messages
    shots(writer, "support-03-reply-seen")
