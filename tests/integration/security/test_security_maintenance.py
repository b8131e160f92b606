"""Access reviews, the configuration review, the vulnerability scan, privacy and the compliance report."""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.scheduler import service as tasks
from memo_coach.maintenance.scheduler.health import task_states
from memo_coach.maintenance.scheduler.models import TaskLease, TaskRun
from memo_coach.runtime import Runtime
from tests.support.helpers import create_user, initialise, make_settings

OSV_SAMPLE = Path(__file__).parents[2] / "unit" / "security" / "osv-sample.json"

MEMO = "Subject: Approve the Porto pilot\n\nApprove €9,000 for a two-month pilot; we report results in June."


@pytest.fixture
def settings(tmp_path, database_url):
    with socket.socket() as s:  # a loopback port nobody listens on: the vulnerability source is unreachable
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return make_settings(tmp_path, database_url, vulnerability_source_url=f"http://127.0.0.1:{port}/")


def test_an_access_review_flags_accounts_and_is_signed_off_as_evidence(client, admin_headers):
    create_user(client, admin_headers, "quiet-writer")
    client.post("/api/v1/users", headers=admin_headers, json={"username": "never-in", "password": "never-signed-in-pw"})
    started = client.post("/api/v1/security/access-reviews", headers=admin_headers)
    assert started.status_code == 201
    review = started.json()["data"]
    accounts = {a["username"]: a for a in review["report"]["accounts"]}
    assert accounts["never-in"]["flags"] == ["never_used", "initial_password"]
    assert "initial_password" not in accounts["admin"]["flags"]  # chose their own before anything else
    assert accounts["quiet-writer"]["last_login_at"] is not None
    signed = client.post(
        f"/api/v1/security/access-reviews/{review['id']}/sign-off", headers=admin_headers, json={"note": "all known"}
    )
    assert signed.json()["data"]["signed_off_by"] == "admin"
    again = client.post(f"/api/v1/security/access-reviews/{review['id']}/sign-off", headers=admin_headers, json={})
    assert again.status_code == 409
    report = client.get("/api/v1/security/compliance-report", headers=admin_headers).json()["data"]
    items = {i["item"]: i for i in report["items"]}
    assert items["access review signed"]["status"] == "ok" and items["audit chain intact"]["status"] == "ok"
    markdown = client.get("/api/v1/security/compliance-report?format=markdown", headers=admin_headers)
    assert markdown.text.startswith("# Compliance report") and "| access review signed | ok |" in markdown.text


def test_too_many_admins_are_flagged(client, admin_headers):
    for i in range(3):
        create_user(client, admin_headers, f"extra-admin-{i}", "admin")
    review = client.post("/api/v1/security/access-reviews", headers=admin_headers).json()["data"]
    assert review["report"]["too_many_admins"] is True


def test_the_configuration_review_gives_each_finding_a_severity_and_a_fix(client, admin_headers):
    findings = client.get("/api/v1/security/configuration-review", headers=admin_headers).json()["data"]["findings"]
    checks = {f["check"]: f for f in findings}
    assert {"cookies", "backup_encryption", "two_person_rule"} <= set(checks)
    assert all(f["severity"] in ("high", "medium", "low", "info") and f["fix"] for f in findings)
    assert "file_modes" not in checks  # what the app created is private


def test_a_scan_that_cannot_run_here_is_skipped_with_its_reasons_and_not_overdue(
    app, client, admin_headers, tmp_path, monkeypatch
):
    monkeypatch.setenv("PATH", str(tmp_path / "no-apt-here"))  # a host with no network, no apt, no database
    run_id = tasks.run_now(app.state.runtime.tasks, "vulnerability_scan", "operator", "olga")
    with session_scope(app.state.runtime.sessions) as session:
        run = session.get(TaskRun, run_id)
        assert run.status == "skipped"
        assert "not reachable" in run.reason or "not installed" in run.reason
        assert "MEMO_COACH_VULNERABILITY_DATABASE" in run.reason and "apt-get is not installed" in run.reason
        # the host has been offline for ten days: a skipped scan is on time, not a permanent overdue P2
        session.execute(update(TaskLease).values(created_at=utcnow() - timedelta(days=10)))
    with session_scope(app.state.runtime.sessions) as session:
        [state] = [s for s in task_states(session, utcnow()) if s["task"] == "vulnerability_scan"]
        assert not state["overdue"] and state["last_status"] == "skipped"
    console = client.get("/ops/maintenance", headers=admin_headers).text
    assert "apt-get is not installed" in console


def test_the_lock_file_is_checked_against_an_osv_database_on_disk(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "no-apt-here"))
    (settings.config_dir.parent / "requirements.lock").write_text("jinja2==3.1.6 \\\n    --hash=sha256:00\n")
    offline = settings.model_copy(update={"vulnerability_database": OSV_SAMPLE})
    initialise(offline)
    runtime = Runtime(offline)
    try:
        run_id = tasks.run_now(runtime.tasks, "vulnerability_scan", "operator", "olga")
        with session_scope(runtime.sessions) as session:
            run = session.get(TaskRun, run_id)
            assert run.status == "failed" and "jinja2" in run.reason
            [lock] = [c for c in run.details["checks"] if c["name"].startswith("requirements.lock")]
            assert lock["findings"][0]["id"] == "PYSEC-2099-1"
    finally:
        runtime.stop()


def test_a_writer_exports_their_data_and_an_admin_erases_it(client, admin_headers):
    writer = create_user(client, admin_headers, "leaving-writer")
    assert client.post("/api/v1/evaluations/submit", headers=writer, json={"text_content": MEMO}).status_code == 201
    exported = client.get("/api/v1/account/export", headers=writer).json()["data"]
    assert exported["evaluations"][0]["text"] == MEMO and "password_hash" not in str(exported)
    assert exported["retention"]["login_attempts_days"] == 90
    request = client.post("/api/v1/account/erasure", headers=writer).json()["data"]
    assert (
        client.post(f"/api/v1/security/erasure-requests/{request['id']}/carry-out", headers=writer).status_code == 403
    )
    done = client.post(f"/api/v1/security/erasure-requests/{request['id']}/carry-out", headers=admin_headers)
    assert done.json()["data"]["deleted"]["evaluations"] == 1
    refused = client.post(
        "/api/v1/auth/login", json={"username": "leaving-writer", "password": "pw-leaving-writer-long-enough"}
    )
    assert refused.status_code == 401
    actions = [
        e["action"] for e in client.get("/api/v1/audit/events?action=privacy.", headers=admin_headers).json()["data"]
    ]
    assert actions == ["privacy.erased", "privacy.erasure_requested", "privacy.exported"]
