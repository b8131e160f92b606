"""A fresh install takes and verifies its first backup at initialisation, so it starts healthy."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from memo_coach.cli.main import app as cli
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.maintenance.backups.health import backup_health
from memo_coach.maintenance.backups.models import VERIFY, BackupCheck
from memo_coach.settings import get_settings
from tests.support.helpers import CONFIG_DIR, initialise, make_settings


def test_initialise_takes_and_verifies_one_first_backup(tmp_path, sqlite_url):
    settings = make_settings(tmp_path, sqlite_url, first_backup=True)
    first = initialise(settings).first_backup
    assert first is not None and first.ok, first
    assert any(p.name.startswith(first.backup_id) for p in settings.backups_path.iterdir())
    engine = make_engine(settings.sqlalchemy_url)
    with session_scope(make_session_factory(engine)) as session:
        assert backup_health(session).status == "healthy"
        checks = session.scalars(select(BackupCheck).where(BackupCheck.kind == VERIFY)).all()
        assert [(c.backup_id, c.ok) for c in checks] == [(first.backup_id, True)]
    engine.dispose()
    assert initialise(settings).first_backup is None  # a later start takes no second one


def test_a_fresh_install_reports_healthy_backups_from_the_command_line(tmp_path, sqlite_url, monkeypatch):
    monkeypatch.setenv("MEMO_COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MEMO_COACH_CONFIG_DIR", str(CONFIG_DIR))
    monkeypatch.setenv("MEMO_COACH_DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    try:
        init = CliRunner().invoke(cli, ["init"])
        assert init.exit_code == 0 and "first backup" in init.output and ": verified" in init.output
        health = CliRunner().invoke(cli, ["health"]).output
        assert "no backup has been verified yet" not in health
    finally:
        get_settings.cache_clear()
