"""A slow LLM evaluation: the submit page sends the writer at once to the evaluation page, which shows
progress and receives the result pushed by server-sent events, without a reload; other pages stay fast."""

from __future__ import annotations

import re
import time

import pytest

from tests.browser.test_writer_flow import MEMO, VIEWPORTS, sign_in
from tests.support.fake_llm import FakeLLM
from tests.support.helpers import use_fake_llm

pytestmark = pytest.mark.browser


def signed_in_page(context, server, username: str):
    page = context.new_page()
    sign_in(page, server.url, username, server.add_writer(username))
    page.wait_for_url(f"{server.url}/")
    page.get_by_label("Memo text", exact=True).fill(MEMO)
    return page


def submit_and_arrive(page) -> None:
    page.get_by_role("button", name="Evaluate memo").click()
    page.wait_for_url(re.compile(r".*/evaluations/\d+$"), timeout=5_000)  # at once, not after the model


def test_a_slow_evaluation_arrives_on_its_page_without_a_reload(chromium, server, shots):
    context = chromium.new_context(viewport=VIEWPORTS["desktop"])
    page = signed_in_page(context, server, "writer-slow")
    with FakeLLM(default="slow:4") as fake:
        use_fake_llm(server.app, fake.openai_base_url, timeout=10)
        submit_and_arrive(page)
        loads = []
        page.on("load", lambda _: loads.append(page.url))
        progress = page.locator("#evaluation-progress")
        assert progress.is_visible()
        # Polled from Python: wait_for_function evaluates a string, which the page's CSP (rightly) forbids.
        elapsed = progress.locator("[data-elapsed]")
        for _ in range(50):
            if int(elapsed.text_content() or 0) >= 1:
                break
            page.wait_for_timeout(100)
        assert int(elapsed.text_content() or 0) >= 1  # pushed by the server while the model thinks
        shots(page, "desktop-10-evaluating")
        other = context.new_page()
        started = time.monotonic()
        other.goto(f"{server.url}/help")
        assert time.monotonic() - started < 1.5 and other.locator("#rubric").is_visible()
        page.locator("#overall").wait_for(state="visible", timeout=15_000)
    assert "scored by openai (fake-model)" in page.locator(".meta").inner_text()
    assert not progress.is_visible() and loads == []  # the result arrived in place: no reload
    context.close()


def test_without_event_source_the_page_polls(chromium, server):
    context = chromium.new_context(viewport=VIEWPORTS["desktop"])
    context.add_init_script("delete window.EventSource;")  # an old browser or a proxy that breaks streams
    page = signed_in_page(context, server, "writer-poll")
    with FakeLLM(default="slow:2") as fake:
        use_fake_llm(server.app, fake.openai_base_url, timeout=10)
        polls = []
        page.on("request", lambda r: polls.append(r.url) if r.url.endswith("/progress") else None)
        submit_and_arrive(page)
        page.locator("#overall").wait_for(state="visible", timeout=15_000)
    assert len(polls) >= 2 and "scored by openai (fake-model)" in page.locator(".meta").inner_text()
    context.close()
