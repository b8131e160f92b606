"""A revision's page in a real browser on a phone: the text's changes are visible and fit the screen,
and the offline coach's quotes show as quotes, not as raw "> " Markdown."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
FIRST = """Subject: Test servers

We need new servers for the QA team. They cost money and the old ones crash a lot, which costs testers many hours every single month and delays our releases.

Thanks,
Tomás
"""
REVISED = """Subject: Four test servers: $38,400, decision by 17 March

I'd like your approval to spend $38,400 on four new test servers for the QA team by 17 March.

In February the old servers crashed 23 times (monitoring log, February), costing testers about 15 hours.

If you approve, I will place the order on 18 March and report the crash count on 30 May.

Thanks,
Tomás
"""


def sign_in(page, base, username, password):
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.wait_for_url(f"{base}/")


def test_the_diff_and_the_chat_quotes_read_well_on_a_phone(chromium, server, shots):
    password = server.add_writer("writer-diff")
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, server.url, "writer-diff", password)
    page.get_by_label("Memo text", exact=True).fill(FIRST)
    page.get_by_role("button", name="Evaluate memo").click()
    page.wait_for_url(re.compile(r".*/evaluations/\d+$"))
    page.get_by_role("link", name="Revise and resubmit").click()
    page.get_by_label("Memo text", exact=True).fill(REVISED)
    page.get_by_role("button", name="Submit revision").click()
    page.wait_for_url(re.compile(r".*/evaluations/\d+$"))

    diff = page.locator("#text-diff")
    diff.scroll_into_view_if_needed()
    assert diff.is_visible()
    assert page.locator("#text-diff ins").count() >= 1 and page.locator("#text-diff del").count() >= 1
    assert any("23 times" in text for text in page.locator("#text-diff ins").all_inner_texts())
    # Not by colour alone: the marks underline and strike through.
    assert "underline" in page.locator("#text-diff ins").first.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in page.locator("#text-diff del").first.evaluate(
        "e => getComputedStyle(e).textDecorationLine"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert diff.evaluate("e => e.getBoundingClientRect().right <= window.innerWidth + 1")
    shots(page, "phone-revision-diff")

    page.get_by_label("Your question").fill("What should the plan say?")
    page.get_by_role("button", name="Ask").click()
    page.wait_for_selector(".msg.coach")
    answer = page.locator(".msg.coach").last
    assert answer.locator("blockquote").count() >= 1
    assert "If you approve, I will place the order on 18 March" in answer.locator("blockquote").first.inner_text()
    assert not re.search(r"(?m)^\s*>", answer.inner_text())  # no raw Markdown quote marks
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shots(page, "phone-offline-chat")
    context.close()
