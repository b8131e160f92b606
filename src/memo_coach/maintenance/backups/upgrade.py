"""Schema upgrades preceded by a backup: a migration never runs on data that has no way back."""

from __future__ import annotations

from sqlalchemy import Engine

from memo_coach.db import migrate
from memo_coach.errors import AppError
from memo_coach.maintenance.backups.service import BackupTarget, create_backup
from memo_coach.settings import Settings


class UpgradeFailed(AppError):
    status = 500
    code = "upgrade_failed"


def upgrade_with_backup(settings: Settings, engine: Engine) -> dict:
    """Backs up, then applies pending Alembic migrations in one transaction (DDL is transactional on
    SQLite and PostgreSQL), so a failing migration leaves the schema and data as they were."""
    before, head = migrate.current_revision(engine), migrate.head_revision()
    if before == head:
        return {"from": before, "to": head, "backup_id": None}
    # A brand-new database has nothing to lose, and no tables to back up.
    backup_id = create_backup(BackupTarget.of(settings, engine), reason="pre-upgrade").id if before else None
    try:
        migrate.upgrade(engine)
    except Exception as exc:
        now = migrate.current_revision(engine)
        raise UpgradeFailed(
            f"migration to {head} failed ({type(exc).__name__}: {exc}); the database is still at {now}"
            + (f"; backup {backup_id} holds the state before the attempt" if backup_id else ""),
            details={"from": before, "still_at": now, "backup_id": backup_id},
        ) from exc
    return {"from": before, "to": migrate.current_revision(engine), "backup_id": backup_id}
