"""Numbers on the console that do not mislead, in a real browser: a chart with one point labels its
time axis for its window, a rate chart keeps one unit, the disk card and the disk chart say the same,
and capacity does not project growth from minutes of history."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from memo_coach.db.base import utcnow
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.observability.history.models import MetricSample
from memo_coach.observability.history.rollup import RAW
from memo_coach.observability.metrics import disk_used_share
from tests.browser.test_ops_console import admin_page

pytestmark = pytest.mark.browser

CLOCK = re.compile(r"^\d\d:\d\d$")
DAY = re.compile(r"^\d{1,2} [A-Z][a-z]{2}$")


def seed(server) -> None:
    """Ten minutes after install: one five-minute point per chart, and raw samples of the levels."""
    engine = make_engine(server.settings.sqlalchemy_url)
    now = utcnow()
    used = disk_used_share(shutil.disk_usage(server.settings.data_dir))
    with session_scope(make_session_factory(engine)) as session:

        def add(name, value, ago, resolution=300):
            session.add(
                MetricSample(
                    ts=now - ago, resolution=resolution, replica="r1", name=name, labels="", value=float(value)
                )
            )

        add("requests_per_s", 2.0, timedelta(minutes=10))  # 2/s, then 0.5/s: one unit for both
        add("requests_per_s", 0.5, timedelta(minutes=5))
        add("latency_p95_s", 0.2, timedelta(minutes=5))
        add("latency_p95_s", 0.2, timedelta(hours=1), 3600)  # the 30 d window reads hourly rows
        for i in range(40):  # the database growing fast for ten minutes
            add("database_bytes", 1e6 + i * 1e5, timedelta(seconds=15 * (40 - i)), RAW)
        add("disk_used_ratio", used, timedelta(seconds=5), RAW)
        add("disk_used_ratio", used, timedelta(minutes=5))
    engine.dispose()


def axis(page, series: str) -> tuple[list[str], list[str]]:
    chart = page.locator(f'.ops-chart[data-series="{series}"]')
    expect(chart).to_have_class(re.compile(r"\bdrawn\b"))
    root = chart.locator(".uplot")
    expect(root).to_have_attribute("data-x-labels", re.compile(r"."))
    return root.get_attribute("data-x-labels").split(", "), root.get_attribute("data-y-labels").split(", ")


@pytest.fixture(scope="module")
def seeded(server):
    seed(server)
    return server


def test_a_chart_with_one_point_labels_its_axis_for_the_window(chromium, seeded, shots):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = admin_page(context, seeded)
    page.goto(f"{seeded.url}/ops?window=24h")
    times, _ = axis(page, "latency_p95_s")
    assert len(times) >= 3 and all(CLOCK.match(t) for t in times), times  # hours, not "1 Apr 1 Aug"
    page.goto(f"{seeded.url}/ops?window=30d")
    times, _ = axis(page, "latency_p95_s")
    assert len(times) >= 3 and all(DAY.match(t) for t in times), times
    shots(page, "ops-console-30d-one-point")
    context.close()


def test_the_requests_chart_uses_one_unit(chromium, seeded):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = admin_page(context, seeded)
    page.goto(f"{seeded.url}/ops?window=24h")
    _, values = axis(page, "requests_per_s")
    units = {re.sub(r"^[\d.]+", "", v) for v in values}
    assert units == {"/s"}, values
    caption = page.locator('.ops-chart[data-series="requests_per_s"] .chart-reading').inner_text()
    assert caption == "mean 1.25/s"
    context.close()


def test_the_disk_card_and_chart_agree_and_capacity_waits_for_history(chromium, seeded, shots):
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = admin_page(context, seeded)
    page.goto(f"{seeded.url}/ops?window=24h")
    card = page.locator(".tile", has=page.locator("strong", has_text=re.compile("^disk$"))).inner_text()
    chart = page.locator('.ops-chart[data-series="disk_used_ratio"] .chart-reading').inner_text()
    card_used = float(re.search(r"([\d.]+)% used", card).group(1))
    chart_used = float(re.fullmatch(r"latest ([\d.]+)%", chart).group(1))
    assert abs(card_used - chart_used) < 0.5, (card, chart)

    database = page.locator("#capacity-database").inner_text()
    assert database.startswith("4.9 MB; growth not projected (not enough history yet: 9.8 minutes of 3 days needed)")
    assert "a day" not in database
    caption = page.locator('.ops-chart[data-series="database_bytes"] .chart-reading').inner_text()
    assert caption == "latest 4.9 MB"  # the chart beside it says the same
    evaluations = page.locator("#capacity-evaluations").inner_text()
    assert "not projected (not enough history yet" in evaluations
    shots(page, "ops-console-capacity-390")
    context.close()
