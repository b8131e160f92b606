"""The first backup, taken and verified at initialisation.

A fresh install otherwise reports itself degraded ("no backup has been verified yet") until the
first scheduled backup runs, with nothing for the operator to do but wait; and its first hours of
data would have no copy at all.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.config_store.versions import read_active
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.backups.health import last_good_verification
from memo_coach.maintenance.backups.service import BackupTarget, Verification, create_backup, verify_backup
from memo_coach.maintenance.config import MaintenanceConfig
from memo_coach.settings import Settings

INITIAL = "initial"


def ensure_first_backup(settings: Settings, engine: Engine, sessions: sessionmaker[Session]) -> Verification | None:
    """Takes and verifies a backup when none has ever been verified; None when one already was."""
    with session_scope(sessions) as session:
        if last_good_verification(session) is not None:
            return None
        config = read_active(session, MaintenanceConfig)
    target = BackupTarget.of(settings, engine, config.backups)
    made = create_backup(target, reason=INITIAL)
    return verify_backup(target, sessions, made.id)
