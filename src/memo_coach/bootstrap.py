"""Bringing a runtime's database to a runnable state: schema at head, configuration imported, a first
admin, a first verified backup."""

from __future__ import annotations

from dataclasses import dataclass, field

from memo_coach.audit import seal_unkeyed_past
from memo_coach.auth.users import ensure_first_admin
from memo_coach.config_store.versions import refused_on_disk, seed_from_files
from memo_coach.db import migrate
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.backups.first import ensure_first_backup
from memo_coach.maintenance.backups.service import Verification
from memo_coach.maintenance.backups.upgrade import upgrade_with_backup
from memo_coach.runtime import Runtime
from memo_coach.settings import make_files_private


@dataclass(frozen=True)
class InitResult:
    revision: str | None
    imported: list[str]
    admin_password: str | None  # only on the very first start; shown once, never stored in clear
    refused_files: list[str] = field(default_factory=list)  # invalid on disk; the database's version serves
    first_backup: Verification | None = None  # taken when no backup had been verified yet


def initialise(runtime: Runtime) -> InitResult:
    settings = runtime.settings
    make_files_private()  # before the engine makes the database file
    settings.ensure_secret_key()
    engine, sessions = runtime.engine, runtime.sessions
    upgrade_with_backup(settings, engine)
    with session_scope(sessions) as session:
        seal_unkeyed_past(session)  # a chain upgraded to a key is sealed from this first start on
        imported = [f"{v.name} v{v.number}" for v in seed_from_files(session, settings.config_dir)]
        refused = refused_on_disk(session, settings.config_dir)
        password = ensure_first_admin(session)
    first = ensure_first_backup(settings, engine, sessions) if settings.first_backup else None
    return InitResult(migrate.current_revision(engine), imported, password, refused, first)
