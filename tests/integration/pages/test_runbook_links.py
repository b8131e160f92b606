"""Every runbook link the app can produce opens a runbook: the alert rules' (notifications, incidents,
the console), the doctor checks' and the links from one runbook to another. The runbooks are read from
docs/runbooks/ under the working directory, as in the container image (/app), not from the source tree."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from memo_coach.incidents.config import MonitoringConfig
from memo_coach.support.doctor.result import RUNBOOK_OF, runbook
from memo_coach.support.doctor.runner import CHECKS
from memo_coach.web.pages.template_filters import runbook_url
from tests.support.helpers import REPO

SIBLING = re.compile(r'href="(/ops/runbooks/[a-z0-9_-]+)')


def rule_links() -> set[str]:
    shipped = MonitoringConfig.model_validate(yaml.safe_load((REPO / "config" / "monitoring.yaml").read_text()))
    rules = shipped.all_rules()
    assert len(rules) >= 15  # the SLO burn rules are among them
    return {r.runbook_page for r in rules} | {runbook_url(r.runbook) for r in rules}


def doctor_links() -> set[str]:
    return {runbook_url(runbook(check)) for check in set(CHECKS) | set(RUNBOOK_OF)}


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """A working directory like the image's /app: docs/runbooks/ copied there, no source checkout."""
    shutil.copytree(REPO / "docs" / "runbooks", tmp_path / "docs" / "runbooks")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_runbook_link_opens_its_runbook(elsewhere, client, admin_headers):
    links = rule_links() | doctor_links()
    assert None not in links and "/ops/runbooks/slo_burn" in links and "/ops/runbooks/troubleshoot-database" in links
    broken = {link: client.get(link, headers=admin_headers).status_code for link in sorted(links)}
    assert {link: code for link, code in broken.items() if code != 200} == {}
    siblings = {
        found for link in links for found in SIBLING.findall(client.get(link, headers=admin_headers).text)
    } - links
    assert {
        link: code for link in siblings if (code := client.get(link, headers=admin_headers).status_code) != 200
    } == {}


def test_a_working_directory_without_runbooks_says_where_they_are_looked_for(
    tmp_path, monkeypatch, client, admin_headers
):
    monkeypatch.chdir(tmp_path)
    missing = client.get("/ops/runbooks/slo_burn", headers=admin_headers)
    assert missing.status_code == 404 and str(tmp_path / "docs" / "runbooks") in missing.text
    assert "docs/runbooks/" in client.get("/ops/runbooks", headers=admin_headers).text
