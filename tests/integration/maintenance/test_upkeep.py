"""Retention with archiving, cleanup, backup retention, upgrades behind a backup, and the CLI's restore guard."""

from __future__ import annotations

import gzip
import json
import os
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from typer.testing import CliRunner

from memo_coach.auth.models import LoginAttempt
from memo_coach.cli.main import app as cli
from memo_coach.db import migrate
from memo_coach.db.base import utcnow
from memo_coach.db.engine import make_engine, session_scope
from memo_coach.maintenance.backups.manifest import Manifest
from memo_coach.maintenance.backups.retention import backups_to_keep
from memo_coach.maintenance.backups.service import BackupTarget, create_backup, list_backups
from memo_coach.maintenance.backups.upgrade import upgrade_with_backup
from memo_coach.maintenance.config import BackupPolicy, RetentionPolicy
from memo_coach.maintenance.upkeep.archive import apply_retention, restore_archive
from memo_coach.maintenance.upkeep.cleanup import clean_logs


def test_rows_past_retention_are_archived_to_json_lines_then_deleted_and_can_come_back(sessions, tmp_path):
    now = utcnow()
    with session_scope(sessions) as session:
        session.add(LoginAttempt(username="old", client_address="a", succeeded=False, at=now - timedelta(days=200)))
        session.add(LoginAttempt(username="new", client_address="a", succeeded=True, at=now - timedelta(days=1)))
    with session_scope(sessions) as session:
        [archive] = apply_retention(session, tmp_path / "archives", RetentionPolicy(login_attempts_days=90))
        archive_id = archive.id
        assert session.scalars(select(LoginAttempt.username)).all() == ["new"]
    with gzip.open(archive.path, "rt") as f:
        rows = [json.loads(line) for line in f]
    assert [r["username"] for r in rows] == ["old"]
    with session_scope(sessions) as session:
        assert restore_archive(session, archive_id) == 1
    with session_scope(sessions) as session:
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 2


def test_evaluations_are_kept_forever_unless_configured():
    assert RetentionPolicy().evaluations_days is None


def _manifest(day: datetime) -> Manifest:
    return Manifest(day.strftime("%Y%m%d"), day.isoformat(), "sqlite", "f", 1, "x", {}, "0005", "0", False, "scheduled")


def test_backup_retention_keeps_7_daily_4_weekly_and_12_monthly():
    start = datetime(2026, 11, 27, 2, 15, tzinfo=UTC)
    backups = [_manifest(start - timedelta(days=d)) for d in range(400)]  # newest first
    keep = backups_to_keep(backups, BackupPolicy())
    assert {m.id for m in backups[:7]} <= keep
    monthly = {m.created.strftime("%Y%m") for m in backups if m.id in keep}
    assert len(monthly) == 12
    assert len(keep) <= 7 + 4 + 12


def test_log_cleanup_removes_old_rotated_files_and_keeps_the_live_log(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_text("live")
    old = logs / "app.log.1"
    old.write_text("old")
    week_ago = time.time() - 40 * 86400
    os.utime(old, (week_ago, week_ago))
    (logs / "app.log.2").write_text("recent")
    result = clean_logs(logs, max_age_days=30, max_total_mb=100)
    assert result["removed"] == ["app.log.1"]
    assert sorted(p.name for p in logs.iterdir()) == ["app.log", "app.log.2"]


def test_an_upgrade_takes_a_backup_first_and_reaches_head(ops_settings, tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine, "0001")
    ops_settings.database_url = url
    result = upgrade_with_backup(ops_settings, engine)
    assert result["from"] == "0001" and result["to"] == migrate.head_revision()
    [backup] = list_backups(BackupTarget.of(ops_settings, engine))
    assert backup.reason == "pre-upgrade" and backup.schema_revision == "0001"
    engine.dispose()


def test_the_cli_refuses_a_restore_without_the_confirmation_flag(ops_settings, target, monkeypatch):
    from memo_coach.settings import get_settings

    made = create_backup(target)
    monkeypatch.setenv("MEMO_COACH_DATA_DIR", str(ops_settings.data_dir))
    monkeypatch.setenv("MEMO_COACH_DATABASE_URL", ops_settings.database_url)
    monkeypatch.setenv("MEMO_COACH_CONFIG_DIR", str(ops_settings.config_dir))
    get_settings.cache_clear()
    try:
        refused = CliRunner().invoke(cli, ["backup", "restore", made.id])
        listed = CliRunner().invoke(cli, ["backup", "list"])
    finally:
        get_settings.cache_clear()
    assert refused.exit_code == 1
    assert "--yes-replace-database" in refused.output
    assert made.id in listed.output
