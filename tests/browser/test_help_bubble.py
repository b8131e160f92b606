"""On a phone, a help bubble never covers the button the writer is about to press."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_the_memo_help_bubble_opens_clear_of_the_submit_button_and_closes_on_the_next_tap(chromium, server, shots):
    password = server.add_writer("bubble-writer")
    context = chromium.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("Username").fill("bubble-writer")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").tap()
    page.wait_for_url(f"{server.url}/")
    page.get_by_label("Memo text", exact=True).fill("Subject: Test\n\n" + "A line of the memo.\n" * 40)
    submit = page.get_by_role("button", name="Evaluate memo")
    submit.scroll_into_view_if_needed()
    page.get_by_role("button", name="About the memo text").tap()
    bubble = page.locator("#tip-memo")
    assert bubble.is_visible()
    shots(page, "phone-help-bubble-open")
    assert not overlaps(bubble.bounding_box(), submit.bounding_box())
    page.get_by_label("Memo text", exact=True).tap()
    assert not bubble.is_visible()
    context.close()
