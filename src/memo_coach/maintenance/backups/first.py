"""The first backup, taken and verified at initialisation.

A fresh install otherwise reports itself degraded ("no backup has been verified yet") until the
first scheduled backup runs, with nothing for the operator to do but wait; and its first hours of
data would have no copy at all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.backups.health import last_good_verification
from memo_coach.maintenance.backups.manifest import Manifest
from memo_coach.maintenance.backups.service import BackupTarget, Verification, create_backup, verify_backup
from memo_coach.maintenance.config import MaintenanceConfig
from memo_coach.maintenance.scheduler.models import FAILED, FIRST_START, SUCCEEDED
from memo_coach.maintenance.scheduler.runner import TaskRunner, record_finished
from memo_coach.settings import Settings

INITIAL = "initial"


def ensure_first_backup(settings: Settings, engine: Engine, sessions: sessionmaker[Session]) -> Verification | None:
    """Takes and verifies a backup when none has ever been verified; None when one already was."""
    with session_scope(sessions) as session:
        if last_good_verification(session) is not None:
            return None
        config = read_active(session, MaintenanceConfig)
    target = BackupTarget.of(settings, engine, config.backups)
    started = utcnow()
    made = create_backup(target, reason=INITIAL)
    result = verify_backup(target, sessions, made.id)
    _record_as_backup_run(TaskRunner(settings, engine, sessions, "first-start"), made, result, started)
    return result


def _record_as_backup_run(rt: TaskRunner, made: Manifest, result: Verification, started: datetime) -> None:
    """A run of the backup task, so its last success and dead man's switch count this backup: the
    maintenance page said "never" right after it."""
    details = {"backup_id": made.id, "size_bytes": made.size_bytes, "verification": result.to_dict()}
    if result.ok:
        summary = f"backup {made.id} ({made.size_bytes:,} bytes) taken and verified at first start"
        outcome = {"status": SUCCEEDED, "summary": summary, "details": details}
    else:
        reason = f"backup {made.id} failed verification: {result.reason}"
        outcome = {"status": FAILED, "reason": reason, "details": details}
    seconds = (utcnow() - started).total_seconds()
    record_finished(rt, "backup", FIRST_START, "system", outcome, started, seconds)
