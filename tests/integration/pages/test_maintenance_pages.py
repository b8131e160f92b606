"""The maintenance console page: schedule, run now, maintenance mode and the banner writers see."""

from __future__ import annotations

import re

from memo_coach.db.engine import make_engine
from memo_coach.maintenance.backups.models import VERIFY
from memo_coach.maintenance.backups.service import (
    BackupTarget,
    Verification,
    create_backup,
    record_check,
    verify_backup,
)
from memo_coach.maintenance.config import BackupPolicy
from memo_coach.web.csrf import CSRF_COOKIE


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _sign_in(client, username: str, password: str) -> None:
    token = _token(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303


def test_the_console_shows_the_schedule_and_switches_maintenance_on_with_a_banner(client, admin_password):
    _sign_in(client, "admin", admin_password)
    page = client.get("/ops/maintenance")
    assert page.status_code == 200
    assert "restore_drill" in page.text and "Run now" in page.text
    token = _token(page.text)
    on = client.post(
        "/ops/maintenance/mode",
        data={"csrf_token": token, "action": "on", "message": "moving to a new server"},
        follow_redirects=False,
    )
    assert on.status_code == 303 and on.headers["location"] == "/ops/maintenance"
    home = client.get("/").text
    assert "Maintenance: moving to a new server" in home
    started = client.post(
        "/ops/maintenance/tasks/session_purge/run", data={"csrf_token": token}, follow_redirects=False
    )
    assert "started session_purge" in client.get(started.headers["location"]).text


def test_a_form_without_the_csrf_token_is_refused(client, admin_password):
    _sign_in(client, "admin", admin_password)
    assert client.cookies.get(CSRF_COOKIE)
    response = client.post("/ops/maintenance/mode", data={"action": "off"}, follow_redirects=False)
    assert response.status_code == 403


def test_writers_cannot_open_the_console(client, admin_headers):
    client.post(
        "/api/v1/users",
        headers=admin_headers,
        json={"username": "wendy", "role": "writer", "password": "pw-wendy-long-enough"},
    )
    _sign_in(client, "wendy", "pw-wendy-long-enough")
    assert client.get("/ops/maintenance").status_code == 403


def test_a_writer_submitting_during_maintenance_gets_503_and_the_draft_back(client, admin_headers):
    client.post("/api/v1/ops/maintenance/on", headers=admin_headers, json={"message": "short upgrade"})
    client.post(
        "/api/v1/users",
        headers=admin_headers,
        json={"username": "wanda", "role": "writer", "password": "pw-wanda-long-enough"},
    )
    _sign_in(client, "wanda", "pw-wanda-long-enough")
    page = client.get("/")
    assert "Maintenance: short upgrade" in page.text
    draft = "Please approve the Q3 vendor change by Friday so that we save 12% on hosting."
    response = client.post("/submit", data={"csrf_token": _token(page.text), "text_content": draft})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "300"
    assert draft in response.text


def test_run_now_from_the_page_is_followed_to_its_end_and_a_manual_backup_says_manual(client, admin_password):
    import time

    _sign_in(client, "admin", admin_password)
    token = _token(client.get("/ops/maintenance").text)
    started = client.post(
        "/ops/maintenance/tasks/backup/run", data={"csrf_token": token}, headers={"Accept": "application/json"}
    )
    assert started.status_code == 202
    follow = started.json()["follow"]
    deadline = time.monotonic() + 60
    run = client.get(follow).json()
    while run["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.2)
        run = client.get(follow).json()
    assert run["status"] == "succeeded" and run["trigger"] == "operator", run
    assert "taken and verified" in run["summary"]
    page = client.get("/ops/maintenance").text
    backups = page.split('id="bk-h"')[1]
    assert "manual" in backups and "scheduled" not in backups.split("</table>")[0]
    unknown = client.post(
        "/ops/maintenance/tasks/nope/run", data={"csrf_token": token}, headers={"Accept": "application/json"}
    )
    assert unknown.status_code == 404 and "no task named" in unknown.json()["error"]


def test_the_backup_table_says_where_each_backup_stands_and_no_time_is_raw_iso(
    client, admin_password, settings, sessions
):
    """The same states as `backup list` (one function): verified when, FAILED when with the reason, not yet."""
    engine = make_engine(settings.sqlalchemy_url)
    target = BackupTarget.of(settings, engine, BackupPolicy())
    verified, failed, untouched = (create_backup(target).id for _ in range(3))
    engine.dispose()
    assert verify_backup(target, sessions, verified).ok
    record_check(sessions, Verification(failed, False, "checksum differs from the manifest", 0.1, {}), VERIFY)
    _sign_in(client, "admin", admin_password)
    page = client.get("/ops/maintenance").text
    cells = {
        backup_id: re.sub(r"<[^>]+>", "", re.search(rf"<code>{backup_id}</code>.*?</tr>", page, re.S).group(0))
        for backup_id in (verified, failed, untouched)
    }
    assert "<th>verification</th>" in page
    assert re.search(r"verified (just now|\d+ min ago)\s*$", cells[verified]), cells[verified]
    assert re.search(r"FAILED (just now|\d+ min ago): checksum differs from the manifest\s*$", cells[failed])
    assert cells[untouched].rstrip().endswith("not yet verified")
    shown = re.sub(r'<time datetime="[^"]*" title="[^"]*">', "<time>", page)  # the tooltip keeps ISO for machines
    assert not re.search(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d", shown), re.search(
        r".{80}\d{4}-\d\d-\d\d[T ]\d\d:\d\d.{20}", shown
    )
