"""While a slow LLM evaluates, the submit page shows progress and the app keeps serving other pages."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.test_writer_flow import MEMO, VIEWPORTS, sign_in
from tests.support.fake_llm import FakeLLM
from tests.support.helpers import use_fake_llm

pytestmark = pytest.mark.browser


def test_progress_is_shown_and_other_pages_stay_fast_during_a_slow_evaluation(chromium, server, shots):
    password = server.add_writer("writer-slow")
    context = chromium.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    sign_in(page, server.url, "writer-slow", password)
    page.wait_for_url(f"{server.url}/")
    with FakeLLM(default="slow:3") as fake:
        use_fake_llm(server.app, fake.openai_base_url)
        page.get_by_label("Memo text", exact=True).fill(MEMO)
        page.get_by_role("button", name="Evaluate memo").click()
        progress = page.locator("#submit-status [data-progress-text]")
        progress.wait_for(state="visible")
        # Polled from Python: wait_for_function evaluates a string, which the page's CSP (rightly) forbids.
        elapsed = page.locator("[data-elapsed]")
        for _ in range(50):
            if int(elapsed.text_content() or 0) >= 1:
                break
            page.wait_for_timeout(100)
        assert int(elapsed.text_content() or 0) >= 1
        assert page.get_by_role("button", name="Evaluate memo").is_disabled()
        shots(page, "desktop-10-evaluating")
        other = context.new_page()
        started = time.monotonic()
        other.goto(f"{server.url}/help")
        assert time.monotonic() - started < 1.5 and other.locator("#rubric").is_visible()
        page.wait_for_url(re.compile(r".*/evaluations/\d+$"), timeout=15_000)
    assert "scored by openai (fake-model)" in page.locator(".meta").inner_text()
    context.close()
