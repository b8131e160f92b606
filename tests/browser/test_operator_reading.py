"""What an operator reads and how they move around: the grouped menu (usable on a phone), the console
opening on what needs attention, an incident page with severities from the configuration, readable
times and runbook links, the public status page in plain words, audit details as a list, and a writer
made by an admin who must choose a password before anything else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from memo_coach.auth import approvals
from memo_coach.auth.users import get_user
from memo_coach.config_store import versions
from memo_coach.db.base import utcnow
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.incidents import service as incidents
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.models import PUBLIC, AlertState
from memo_coach.incidents.sources import HEALTH_SERIES
from memo_coach.maintenance.scheduler.models import TaskLease, TaskRun
from memo_coach.observability.history.models import MetricSample
from memo_coach.observability.history.rollup import RAW
from memo_coach.support.tickets import service as tickets
from tests.browser.test_writer_flow import sign_in

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)
RAW_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def _health(session, check: str, values: list[float], start) -> None:
    session.add_all(
        MetricSample(ts=start + timedelta(minutes=i), resolution=RAW, replica="web-1", name=HEALTH_SERIES, labels=check,
                     value=v)
        for i, v in enumerate(values)
    )  # fmt: skip


def seed_operator_day(server) -> dict[str, int]:
    """A realistic afternoon: a monitoring change, then a 5xx incident on the website (fired by its rule,
    public, acknowledged, a public update), a quiet P3, a failing backup task, an overdue ticket and an
    admin account waiting for approval. Returns the ids the pages need."""
    engine = make_engine(server.settings.sqlalchemy_url)
    now = utcnow()
    with session_scope(make_session_factory(engine)) as session:
        text = versions.active_version(session, "monitoring").content
        versions.apply(session, "monitoring", text.replace("interval_seconds: 15", "interval_seconds: 20"),
                       author="ana", reason="evaluate less often")  # fmt: skip
        versions.active_version(session, "monitoring").created_at = now - timedelta(minutes=16)
        config = versions.read_active(session, MonitoringConfig)
        rule = config.rule("http_5xx_high")
        _health(session, "database", [0, 0, 0, 1, 2, 2, 2, 1], now - timedelta(minutes=9))
        session.add(AlertState(rule=rule.name, state="firing", since=now - timedelta(minutes=6), value=0.0834))
        incident = incidents.open_incident(
            session, config, title=rule.summary, severity=rule.severity, source="rule", dedup_key=rule.dedup_key,
            component=rule.component, visibility=PUBLIC, public_title=rule.public_title, cause=rule.name,
            now=now - timedelta(minutes=6),
        )  # fmt: skip
        incidents.add_event(session, incident, "alert_fired", f"{rule.name}: {rule.summary} (value 8.34%)",
                            at=now - timedelta(minutes=6))  # fmt: skip
        incidents.acknowledge(session, incident, "ana")
        incidents.add_note(session, incident, "ana", "Some pages fail; we are restarting the database.", True)
        quiet = incidents.open_incident(session, config, title="Certificate expires in 12 days", severity="P4",
                                        source="manual", actor="ana")  # fmt: skip
        session.add(TaskLease(name="backup", last_status="failed"))
        session.add(TaskRun(task="backup", trigger="schedule", status="failed", started_at=now - timedelta(hours=2),
                            reason="no space left on device (/var/lib/memo-coach/backups)"))  # fmt: skip
        writer = get_user(session, "admin")
        ticket = tickets.open_ticket(
            session,
            writer,
            "problem",
            "My evaluation never finished",
            "It has been spinning since Monday.",
            {"page": "/"},
            now - timedelta(days=4),
        )
        approvals.request(session, "dana", approvals.CREATE, "ana")
        ids = {"incident": incident.id, "quiet": quiet.id, "ticket": ticket.id}
    engine.dispose()
    return ids


@pytest.fixture(scope="module")
def admin(chromium, server):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, "admin", server.admin_password)
    page.wait_for_url(f"{server.url}/")
    yield page
    context.close()


def test_the_console_says_nothing_needs_attention_on_a_quiet_install(admin, server):
    admin.goto(f"{server.url}/ops")
    first = admin.locator("main section.card").first
    assert first.locator("h2").inner_text() == "Needs attention now"
    expect(first.locator(".attention-none")).to_contain_text("Nothing needs attention")


@pytest.fixture(scope="module")
def seeded(server, admin):
    return seed_operator_day(server)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_admin_menu_is_grouped_links_the_status_page_and_fits_a_phone(admin, server, width):
    admin.set_viewport_size({"width": width, "height": 900})
    admin.goto(f"{server.url}/ops")
    nav = admin.get_by_role("navigation", name="Main")
    groups = [s.strip() for s in nav.locator("summary").all_inner_texts()]
    assert groups == ["Writing", "Operations", "Security"]  # one-link groups are plain links
    assert nav.get_by_role("link", name="Support queue").is_visible()
    assert nav.get_by_role("link", name="Configuration").is_visible()
    assert not nav.get_by_role("link", name="Status page").is_visible()  # closed until asked
    nav.locator("summary", has_text="Operations").click()
    status = nav.get_by_role("link", name="Status page")
    expect(status).to_be_visible()
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert admin.evaluate("document.documentElement.scrollWidth") <= width
    nav.locator("summary", has_text="Security").click()  # one group open at a time
    expect(status).to_be_hidden()
    nav.get_by_role("link", name="Audit trail").click()
    admin.wait_for_url(f"{server.url}/admin/audit")


def test_a_writer_sees_only_their_own_links(chromium, server):
    password = server.add_writer("writer-menu")
    page = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, server.url, "writer-menu", password)
    page.wait_for_url(f"{server.url}/")
    nav = page.get_by_role("navigation", name="Main")
    assert nav.locator("summary").count() == 0
    links = [t.strip() for t in nav.get_by_role("link").all_inner_texts()]
    assert links == ["Submit a memo", "History", "Help", "My tickets", "Account"]


def test_the_console_opens_on_what_needs_attention_with_links(admin, server, seeded):
    admin.set_viewport_size({"width": 1280, "height": 900})
    admin.goto(f"{server.url}/ops")
    card = admin.locator("main section.card").first
    assert card.locator("h2").inner_text().startswith("Needs attention now: ")
    incidents_list = card.locator('[data-kind="incidents"] li')
    assert incidents_list.first.inner_text().startswith("P2 ")  # gravest first
    assert "P4 Certificate expires" in incidents_list.nth(1).inner_text()
    assert "no space left on device" in card.locator('[data-kind="tasks"]').inner_text()
    assert "My evaluation never finished" in card.locator('[data-kind="tickets"]').inner_text()
    assert "create admin dana" in card.locator('[data-kind="approvals"]').inner_text()
    assert not RAW_ISO.search(card.inner_text())
    card.locator('[data-kind="incidents"] a').first.click()
    admin.wait_for_url(f"{server.url}/ops/incidents/{seeded['incident']}")


def test_the_incident_page_defines_severities_from_config_and_reads_well(admin, server, seeded):
    admin.goto(f"{server.url}/ops/incidents/{seeded['incident']}")
    meaning = MonitoringConfig().severity_meanings["P2"]
    assert meaning in admin.locator("#incident-severity").inner_text()
    assert "Acknowledge within 15 minutes" in admin.locator("#incident-severity").inner_text()
    rows = admin.locator(".severity-table tbody tr").all_inner_texts()
    assert [r.split("\t")[0] for r in rows] == ["P1", "P2", "P3", "P4"]
    assert "4 hours" in rows[2] and "1 day" in rows[3]
    timeline = admin.locator("ol.timeline")
    text = timeline.inner_text()
    assert not RAW_ISO.search(admin.locator("main").inner_text().split("Review")[0])
    assert timeline.locator("time[datetime]").count() >= 4
    assert "database healthy -> degraded" in text and "monitoring v2: evaluate less often" in text
    assert "auth." not in text and "user.admin_approval" not in text  # audit events are not the incident's
    assert timeline.locator("li").count() < 15
    admin.get_by_role("link", name="http_5xx_high.md").click()
    admin.wait_for_url(f"{server.url}/ops/runbooks/http_5xx_high")
    assert admin.locator("main h1").inner_text().startswith("http_5xx_high")


def test_the_status_page_speaks_plainly(admin, chromium, server, seeded):
    page = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{server.url}/status")
    active = page.locator("#active-h + article")
    text = active.inner_text()
    assert "Some pages and requests fail" in text and "(Investigating: partial outage)" in text
    assert "P2" not in text and "triggered" not in text and "acknowledged" not in text
    assert not RAW_ISO.search(page.locator("main").inner_text())
    admin.goto(f"{server.url}/status")  # public, and a signed-in operator keeps the menu there
    expect(admin.get_by_role("navigation", name="Main").locator("summary", has_text="Operations")).to_be_visible()


def test_audit_details_read_as_a_list_not_json(admin, server, seeded):
    admin.goto(f"{server.url}/admin/audit?action=user.admin_approval_requested")
    cell = admin.locator("td.details").first
    assert cell.locator("dl.kv dt").all_inner_texts() == ["change", "id"]
    assert "{" not in cell.inner_text()
    assert admin.locator("main p").filter(has_text="match").inner_text().startswith("1 event matches.")


def test_a_writer_made_by_an_admin_must_choose_a_password_first(admin, chromium, server):
    admin.goto(f"{server.url}/admin/users")
    admin.get_by_label("Username").fill("new-writer")
    admin.get_by_role("button", name="Create (the password is generated)").click()
    generated = admin.locator("p[role=status] code").inner_text()
    page = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, server.url, "new-writer", generated)
    page.wait_for_url(f"{server.url}/account")
    expect(page.locator("[role=note]")).to_contain_text("set by someone else")
    page.goto(f"{server.url}/history")  # anything else leads back to the password form
    page.wait_for_url(f"{server.url}/account")
    page.get_by_label("Current password").fill(generated)
    page.get_by_label(re.compile("^New password")).fill("my own long passphrase 2024 river")
    page.get_by_role("button", name="Change password").click()
    page.goto(f"{server.url}/history")
    page.wait_for_url(f"{server.url}/history")
