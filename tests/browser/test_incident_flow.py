"""An operator opens a public incident in the console and posts a public update; a writer sees the banner
and the status page on a phone, never the operators' title; resolving it takes the banner away."""

from __future__ import annotations

import pytest

from tests.browser.test_writer_flow import VIEWPORTS, sign_in

pytestmark = pytest.mark.browser


def test_an_incident_reaches_writers_through_the_banner_and_the_status_page(chromium, server, shots):
    admin = chromium.new_context(viewport=VIEWPORTS["desktop"]).new_page()
    sign_in(admin, server.url, "admin", server.admin_password)
    admin.wait_for_url(f"{server.url}/")
    admin.goto(f"{server.url}/ops/incidents")
    admin.get_by_label("Title", exact=True).fill("LLM provider timeouts from 10.0.0.7")
    admin.get_by_label("Public title").fill("Evaluations are slow")
    admin.get_by_label("Severity").select_option("P2")
    admin.get_by_label("Component").select_option("evaluations")
    admin.get_by_role("button", name="Open an incident").click()
    admin.wait_for_url(f"{server.url}/ops/incidents/*")
    assert admin.locator("#incident-status").inner_text() == "triggered"
    admin.get_by_label("Message or reason").fill("Feedback takes a minute; we are on it")
    admin.get_by_label("public update (status page)").check()
    admin.get_by_role("button", name="Add note").click()
    admin.get_by_role("button", name="Acknowledge").click()
    assert admin.locator("#incident-status").inner_text() == "acknowledged"
    shots(admin, "desktop-20-incident")

    password = server.add_writer("writer-incident")
    writer = chromium.new_context(viewport=VIEWPORTS["phone"]).new_page()
    sign_in(writer, server.url, "writer-incident", password)
    writer.wait_for_url(f"{server.url}/")
    banner = writer.locator(".incident-banner")
    assert "Evaluations are slow" in banner.inner_text() and "10.0.0.7" not in banner.inner_text()
    banner.get_by_role("link", name="Status and updates").click()
    writer.wait_for_url(f"{server.url}/status")
    assert writer.locator("#overall-status").text_content() == "Degraded performance"
    assert writer.locator('[data-component="evaluations"] .status').text_content() == "Degraded performance"
    assert "Feedback takes a minute; we are on it" in writer.locator("#active-h + article").inner_text()
    shots(writer, "phone-20-status")

    admin.get_by_label("Message or reason").fill("caught up")
    admin.get_by_role("button", name="Resolve").click()
    assert admin.locator("#incident-status").inner_text() == "resolved"
    writer.goto(f"{server.url}/")
    assert writer.locator(".incident-banner").count() == 0
