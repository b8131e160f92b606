"""The ops console's charts in a real browser: drawn by the vendored uPlot, axes in units, the value
under the cursor shown, at desktop and phone width."""

from __future__ import annotations

import math
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from memo_coach.db.base import utcnow
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.observability.console import CHARTS
from memo_coach.observability.history.models import MetricSample

pytestmark = pytest.mark.browser

TYPICAL = {"latency_p95_s": 0.24, "process_memory_bytes": 2.376e8, "error_rate": 0.01, "evaluations_per_s": 0.05}


def seed_history(server) -> None:
    """A day of five-minute samples for every chart, as the sampler's rollup stores them."""
    engine = make_engine(server.settings.sqlalchemy_url)
    now = utcnow()
    with session_scope(make_session_factory(engine)) as session:
        for i in range(24 * 12):
            for name in CHARTS:
                value = TYPICAL.get(name, 0.5) * (1 + 0.3 * math.sin(i / 9))
                session.add(
                    MetricSample(
                        ts=now - timedelta(minutes=5 * i),
                        resolution=300,
                        replica="r1",
                        name=name,
                        labels="",
                        value=value,
                    )
                )
    engine.dispose()


def admin_page(context, server):
    """A page signed in as the admin, who may see every console."""
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(server.admin_password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server.url}/")
    return page


@pytest.mark.parametrize("width", [1280, 390])
def test_the_console_draws_readable_charts_with_units_and_hover_values(chromium, server, shots, width):
    if width == 1280:
        seed_history(server)
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = admin_page(context, server)
    page.goto(f"{server.url}/ops")
    # Locators, not wait_for_function: that evaluates a string, which the page's CSP (rightly) forbids.
    expect(page.locator(".ops-chart.drawn")).to_have_count(len(CHARTS))
    latency = page.locator('.ops-chart[data-series="latency_p95_s"]')
    memory = page.locator('.ops-chart[data-series="process_memory_bytes"]')
    assert (
        "mean 2" in latency.locator("figcaption").inner_text() and " ms" in latency.locator("figcaption").inner_text()
    )
    assert re.search(r"latest \d+(\.\d+)? MB", memory.locator("figcaption").inner_text())  # not "2.376e+08"
    assert "e+" not in page.locator("#charts-h").locator("xpath=..").inner_text()
    # Axis text is real text at a readable size, with units and 24-hour UTC times.
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.ops-chart canvas')].map(c => c.getBoundingClientRect().width)"""
    )
    assert min(sizes) >= 300
    # Hovering the middle of the chart shows the value there, with its unit.
    latency.scroll_into_view_if_needed()
    box = latency.locator(".u-over").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    value = latency.locator(".u-legend .u-series").nth(1).locator(".u-value")
    expect(value).not_to_have_text("–", timeout=5000)
    hovered = value.inner_text()
    assert re.fullmatch(r"\d+(\.\d+)? ms", hovered), hovered
    assert re.search(r"\d+ \w{3} \d\d:\d\d UTC", latency.locator(".u-legend .u-series").first.inner_text())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shots(page, f"ops-console-{width}")
    context.close()


def test_run_now_shows_how_the_task_ended_without_a_reload(chromium, server, shots):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = admin_page(context, server)
    page.goto(f"{server.url}/ops/maintenance")
    loaded_at = page.evaluate("performance.timeOrigin")
    row = page.locator("form[data-run-now]", has=page.get_by_role("button", name="Run now session_purge"))
    row.get_by_role("button").click()
    result = row.locator(".run-result")
    result.filter(has_text="succeeded").wait_for(timeout=30_000)
    assert re.match(r"succeeded in \d+\.\d s: ", result.inner_text())
    assert page.evaluate("performance.timeOrigin") == loaded_at  # the same page: no reload
    shots(page, "maintenance-run-now")
    context.close()
