"""The maintenance page as an operator reads it on a fresh install: the first backup counts as the
backup task's last success (it said "never" right after a verified backup), schedules read in words,
a failed run stands out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_ops_console import admin_page
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fresh_install(tmp_path_factory):
    """A first start as `make run` does it: with the first backup taken and verified."""
    running = live_server(tmp_path_factory.mktemp("fresh"), first_backup=True)
    yield running
    running.stop()


def schedule_row(page, task: str):
    return page.locator("tr", has=page.get_by_role("button", name=f"Run now {task}", exact=True))


@pytest.mark.parametrize("width", [1280, 390])
def test_the_schedule_reads_in_words_and_the_first_backup_is_the_last_success(chromium, fresh_install, shots, width):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = admin_page(context, fresh_install)
    page.goto(f"{fresh_install.url}/ops/maintenance")
    backup = schedule_row(page, "backup")
    expect(backup).to_contain_text("daily at 02:15 UTC")
    assert "never" not in backup.inner_text()  # the initial backup is a run of the backup task
    expect(schedule_row(page, "access_audit")).to_contain_text("monthly, 1st at 06:30 UTC")
    expect(schedule_row(page, "restore_drill")).to_contain_text("weekly, Sunday at 04:30 UTC")
    expect(schedule_row(page, "wal_checkpoint")).to_contain_text("every 30 minutes")
    schedule = page.locator("section", has=page.get_by_role("heading", name="Schedule"))
    assert "30 6 1 * *" not in schedule.inner_text()
    expect(page.locator("section", has=page.get_by_role("heading", name="History"))).to_contain_text("first_start")
    shots(page, f"maintenance-schedule-{width}")
    context.close()
