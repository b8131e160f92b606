"""The support bundle: secrets and a memo's unique phrase planted everywhere, and none reaches the archive."""

from __future__ import annotations

import json
import logging
import os
import shutil
import stat
import tarfile

import pytest
from typer.testing import CliRunner

from memo_coach.cli.main import app as cli
from memo_coach.config_store.versions import active_version, apply
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.scheduler.models import TaskRun
from memo_coach.security.file_modes import file_mode_findings
from memo_coach.settings import get_settings
from tests.support.helpers import create_user, make_settings

PHRASE = "purple elephants negotiate quarterly budgets with zebras"
SECRETS = {
    "ANTHROPIC_API_KEY": "sk-ant-api03-PLANTEDanthropic0123456789",
    "OPENAI_API_KEY": "sk-PLANTEDopenai9876543210",
    "MEMO_COACH_BACKUP_KEY": "planted-backup-passphrase",
    "MEMO_COACH_METRICS_TOKEN": "planted-metrics-token-42",
    "MEMO_COACH_SMTP_PASSWORD": "planted-smtp-password",
    "MEMO_COACH_SECRET_KEY": "planted-secret-key-for-cookies-0001",
}


@pytest.fixture
def settings(tmp_path, sqlite_url, monkeypatch):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return make_settings(tmp_path, sqlite_url)


def plant_everywhere(client, app, admin_headers, settings) -> str:
    """The phrase and every secret in the memo, a ticket, log lines, a config file and a task run."""
    token = admin_headers["X-Session-Token"]
    memo = f"We propose a pilot. {PHRASE}. The budget is 9,000 euros and the pilot ends in June."
    evaluation = client.post("/api/v1/evaluations/submit", headers=admin_headers, json={"text_content": memo}).json()[
        "data"
    ]
    ticket = {
        "category": "problem",
        "summary": "Leaky",
        "description": f"My memo said {PHRASE}",
        "page": f"/evaluations/{evaluation['id']}",
        "include_memo": True,
    }
    assert client.post("/api/v1/support/tickets", headers=admin_headers, json=ticket).status_code == 201
    everything = " ".join(SECRETS.values())
    logging.getLogger("memo_coach.planted").error(
        "leaked %s with %s and Authorization: Bearer %s",
        PHRASE,
        everything,
        token,
        extra={"note": PHRASE, "sid": token},
    )
    with (settings.data_dir / "logs" / "app.log").open("a") as log:
        log.write(
            json.dumps({"level": "ERROR", "message": f"{PHRASE} {everything} {token}", "request_id": "raw-1"}) + "\n"
        )
    with session_scope(app.state.runtime.sessions) as session:
        content = active_version(session, "support").content + f"\n# {PHRASE} {everything} {token}\n"
        apply(session, "support", content, author="test", reason="plant")
        session.add(
            TaskRun(
                task="error_log_review",
                trigger="schedule",
                status="succeeded",
                details={"x": f"{PHRASE} {everything} {token}"},
            )
        )
    return token


def make_bundle(settings, monkeypatch, tmp_path) -> dict[str, str]:
    monkeypatch.setenv("MEMO_COACH_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("MEMO_COACH_CONFIG_DIR", str(settings.config_dir))
    monkeypatch.setenv("MEMO_COACH_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["support-bundle", "--offline", "--output", str(tmp_path / "bundle.tar.gz")])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    with tarfile.open(tmp_path / "bundle.tar.gz") as archive:
        assert (tmp_path / "bundle.tar.gz").stat().st_mode & 0o077 == 0
        return {m.name.split("/", 1)[1]: archive.extractfile(m).read().decode() for m in archive.getmembers()}


def test_no_planted_secret_token_or_memo_text_reaches_the_bundle(
    client, app, admin_headers, settings, monkeypatch, tmp_path
):
    token = plant_everywhere(client, app, admin_headers, settings)
    files = make_bundle(settings, monkeypatch, tmp_path)
    assert {
        "doctor.json",
        "health.json",
        "versions.json",
        "settings.json",
        "logs/recent.jsonl",
        "task_runs.json",
        "incidents.json",
        "tickets.json",
        "config/support.yaml",
        "README.txt",
    } <= set(files)
    for name, text in files.items():
        for secret in [*SECRETS.values(), token]:
            assert secret not in text, (name, secret)
        assert "elephants" not in text and "zebras" not in text, name
    # The lines are still there, only emptied of what must not leave: the bundle stays useful.
    log = files["logs/recent.jsonl"]
    assert '"request_id": "raw-1"' in log and "leaked [writer's text removed]" in log
    assert json.loads(files["settings.json"])["anthropic_api_key"] == "[set]"
    assert "Removed before writing" in files["README.txt"]
    assert json.loads(files["doctor.json"])["checks"]


TYPED_PASSWORD = "Correct-Horse-Battery-9"


def test_a_password_typed_as_a_username_does_not_reach_the_bundle(
    client, app, admin_headers, settings, monkeypatch, tmp_path
):
    create_user(client, admin_headers, "writer1")
    for username in (TYPED_PASSWORD, "writer1"):
        client.post("/api/v1/auth/login", json={"username": username, "password": "wrong-password-here"})
    with session_scope(app.state.runtime.sessions) as session:
        # A summary as the task wrote it before it stopped naming unknown accounts.
        old = {"top_accounts": [[TYPED_PASSWORD.lower(), 1], ["writer1", 1]], "locked_accounts": [TYPED_PASSWORD]}
        session.add(TaskRun(task="security_summary", trigger="schedule", status="succeeded", details=old))
    files = make_bundle(settings, monkeypatch, tmp_path)
    for name, text in files.items():
        assert TYPED_PASSWORD.lower() not in text.lower(), name
    runs = json.loads(files["task_runs.json"])
    assert ["writer1", 1] in next(r for r in runs if r["task"] == "security_summary")["details"]["top_accounts"]
    assert "2 names typed at failed sign-ins" in files["README.txt"]  # two mentions of it


def test_the_bundle_folder_is_private_even_under_an_open_umask(app, settings, monkeypatch):
    monkeypatch.setenv("MEMO_COACH_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("MEMO_COACH_CONFIG_DIR", str(settings.config_dir))
    monkeypatch.setenv("MEMO_COACH_DATABASE_URL", settings.database_url)
    folder = settings.data_dir / "support"
    modes = []
    previous = os.umask(0o022)  # a shell's usual umask: the command does not set the app's
    try:
        for made_by in ("this command", "an earlier version"):
            if made_by == "an earlier version":
                shutil.rmtree(folder)
                folder.mkdir(mode=0o755)
            get_settings.cache_clear()
            result = CliRunner().invoke(cli, ["support-bundle", "--offline"])
            assert result.exit_code == 0, result.output
            modes.append(stat.S_IMODE(folder.stat().st_mode))
    finally:
        os.umask(previous)
        get_settings.cache_clear()
    assert modes == [0o700, 0o700]
    [bundle] = folder.iterdir()
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    assert not [f for f in file_mode_findings(settings) if f["path"].startswith(str(folder))]
