"""A writer's whole visit in a real browser: sign in, submit, read feedback, history, revise, chat, PDF, sign out."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.browser

MEMO = """Subject: Approve €48,000 for a café-style support desk by 15 June

Recommendation: approve €48,000 so the support team can open a walk-in desk in the Zürich office by 1 July.
Walk-in questions rose from 120 to 310 a month between January and April (ticket data, April report).
Our Athens partners (Ελληνικά: «Καλημέρα») and the Tokyo team (日本語: 東京チーム) asked for the same desk.
The main risk is staffing; Léa Müller will own hiring and review the desk after 90 days.
"""
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def sign_in(page, base, username, password):
    page.goto(f"{base}/login")
    # Keyboard only: type, Tab to the next field, Enter submits.
    page.get_by_label("Username").fill(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_writer_goes_from_sign_in_to_pdf_and_sign_out(chromium, server, shots, tmp_path, viewport):
    username = f"writer-{viewport}"
    password = server.add_writer(username)
    context = chromium.new_context(viewport=VIEWPORTS[viewport], accept_downloads=True)
    page = context.new_page()
    base = server.url

    sign_in(page, base, username, "not-the-password")
    assert "wrong username or password" in page.get_by_role("alert").inner_text()
    shots(page, f"{viewport}-01-sign-in-refused")
    sign_in(page, base, username, password)
    page.wait_for_url(f"{base}/")
    assert page.get_by_role("heading", name="Submit a memo").is_visible()

    # Submit: the counter follows the text and the draft is kept until the evaluation is stored.
    area = page.get_by_label("Memo text", exact=True)
    area.fill(MEMO)
    assert not page.locator("#submit-status [data-progress-text]").is_visible()
    assert page.locator("#char-used").inner_text() == f"{len(MEMO):,}"
    assert page.evaluate("localStorage.getItem('memo-coach-draft:new')") == MEMO
    shots(page, f"{viewport}-02-submit")
    page.get_by_role("button", name="Evaluate memo").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/evaluations/\d+$"))
    assert page.evaluate("localStorage.getItem('memo-coach-draft:new')") is None

    # Overall and detailed feedback, highlighted passages, info bubbles on keyboard focus.
    assert "Weighted score" in page.locator("#overall").inner_text()
    assert page.locator("#strengths li").count() >= 1 and page.locator("#opportunities li").count() >= 1
    assert page.locator("#detailed .criterion").count() == 6
    assert page.locator("#detailed .guidance").first.inner_text().startswith("Rubric guidance for a")
    assert page.locator("#memo-text mark").count() >= 1
    assert page.locator("#segments > li").count() == page.locator("#memo-text mark").count()
    bubble = page.locator("#tip-detailed")
    assert not bubble.is_visible()
    page.locator("#detailed .info-button").focus()
    assert bubble.is_visible()
    assert fits_the_screen(page)
    shots(page, f"{viewport}-03-evaluation")
    first_evaluation = page.url

    # Revise and resubmit: a new revision of the same memo, with the change per criterion.
    page.get_by_role("link", name="Revise and resubmit").click()
    area = page.get_by_label("Memo text", exact=True)
    assert area.input_value() == MEMO
    area.fill(MEMO + "Next steps: Léa posts the job on 1 June; the desk opens 1 July; we report results in October.\n")
    shots(page, f"{viewport}-04-revise")
    page.get_by_role("button", name="Submit revision").click()
    page.wait_for_url(re.compile(r".*/evaluations/\d+$"))
    assert page.url != first_evaluation
    assert "Changes since revision 1" in page.locator("#changes").inner_text()
    assert page.locator("#changes tbody tr").count() == 6
    shots(page, f"{viewport}-05-revision")

    # Chat: with no language model configured, the coach says so and gives matching rubric guidance.
    page.get_by_label("Your question").fill("How do I make the ask clearer?")
    page.get_by_role("button", name="Ask").click()
    page.wait_for_selector(".msg.coach")
    answer = page.locator(".msg.coach").last.inner_text()
    assert "offline" in answer and "The ask" in answer
    shots(page, f"{viewport}-06-chat")

    # PDF: downloaded, and its text (accents, Greek, Japanese) survives.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "evaluation.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    check_pdf_text(pdf)

    # History: every evaluation and the SVG chart.
    page.get_by_role("link", name="History").click()
    assert page.locator("#history-table tbody tr").count() == 2
    # One memo, two revisions: one column, ring and dot joined by a bar, and no line between memos;
    # the wide drawing on a screen, the compact one on a phone.
    chart = page.locator(f"#progress-chart{'-compact' if viewport == 'phone' else ''}")
    assert chart.is_visible() and chart.locator(".memo-mark").count() == 1
    assert chart.locator("polyline").count() == 0
    assert "over 2 revisions" in page.locator(".memo-progress").inner_text()
    assert fits_the_screen(page)
    shots(page, f"{viewport}-07-history")

    page.get_by_role("link", name="Help", exact=True).click()
    assert page.locator("#rubric .criterion").count() == 6
    shots(page, f"{viewport}-08-help")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r".*/login\?signed_out=true$"))
    assert "You are signed out." in page.get_by_role("status").first.inner_text()
    page.goto(f"{base}/history")
    assert "/login" in page.url
    context.close()


def check_pdf_text(pdf) -> None:
    if not shutil.which("pdftotext"):
        if os.environ.get("MEMO_COACH_REQUIRE_BROWSER") == "1":
            pytest.fail("pdftotext is missing (apt-get install poppler-utils)")
        return  # the download itself was checked; the text check needs poppler-utils
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Zürich", "Léa Müller", "Καλημέρα", "東京チーム", "Overall score", "Rubric scores"):
        assert expected in text, expected


def test_a_draft_survives_a_reload_and_an_expired_session(chromium, server, shots):
    password = server.add_writer("writer-draft")
    context = chromium.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    sign_in(page, server.url, "writer-draft", password)
    page.wait_for_url(f"{server.url}/")
    page.get_by_label("Memo text", exact=True).fill(MEMO)
    page.reload()
    assert page.get_by_label("Memo text", exact=True).input_value() == MEMO
    assert page.locator("#draft-note").is_visible()

    context.clear_cookies(name="memo_session")
    page.get_by_role("button", name="Evaluate memo").click()
    error = page.locator("#submit-error")
    error.wait_for(state="visible")
    assert "session has expired" in error.inner_text()
    assert page.get_by_label("Memo text", exact=True).input_value() == MEMO
    shots(page, "desktop-09-session-expired")

    sign_in(page, server.url, "writer-draft", password)
    page.wait_for_url(f"{server.url}/")
    assert page.get_by_label("Memo text", exact=True).input_value() == MEMO
    context.close()
