"""Restoring a backup over the live database, and the weekly restore drill into scratch.

Restore is safe under traffic: it needs explicit confirmation, proves the backup whole before
touching anything, refuses every write but the operator's, drains work in flight, takes a backup of
the current database (after the drain, so it holds everything acknowledged), never lets an id be
handed out twice, checks the live database against the manifest and reports what was undone.
"""

from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from memo_coach import audit
from memo_coach.audit import anchors
from memo_coach.auth.users import list_users
from memo_coach.coaching.models import Evaluation
from memo_coach.coaching.service import evaluation_view
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.errors import InvalidInput, NotFound
from memo_coach.maintenance.backups import manifest as manifests
from memo_coach.maintenance.backups import pg_copy, sqlite_copy
from memo_coach.maintenance.backups import restore_safety as safety
from memo_coach.maintenance.backups.models import DRILL, RESTORE
from memo_coach.maintenance.backups.service import (
    BackupTarget,
    Verification,
    VerificationFailed,
    create_backup,
    list_backups,
    record_check,
    restored_copy,
)
from memo_coach.maintenance.mode.service import end_window, switch_on

# Evaluations in flight end by their deadline (60 s by default); the restore waits that long at most.
DRAIN_SECONDS = 75.0


def restore_backup(
    target: BackupTarget,
    sessions: sessionmaker[Session],
    backup_id: str,
    *,
    confirmed: bool,
    actor: str,
    drain_seconds: float = DRAIN_SECONDS,
) -> dict:
    """Replaces the live database with a backup, losing nothing that was acknowledged.

    In order: the backup is unpacked and proven whole (writes still flow); every write is refused
    except the actor's (an exclusive maintenance window); requests and evaluations in flight finish;
    the safety backup is taken (so it holds everything acknowledged); the copy, already carrying the
    window and id counters above every id handed out, replaces the live database; the window ends.
    """
    if not confirmed:
        raise InvalidInput(
            "restoring replaces the whole current database; confirm explicitly (--yes-replace-database)",
            field="confirm",
            code="confirmation_required",
        )
    m = manifests.find(target.directory, backup_id)
    if m.dialect != target.dialect:
        raise InvalidInput(
            f"backup {m.id} is of a {m.dialect} database; this one is {target.dialect}", field="backup_id"
        )
    started = time.monotonic()
    with restored_copy(target, m) as copy:
        restored_marks = safety.id_marks_of(copy.url)
        rewound_to = anchors.head_at(copy.url)  # the audit events after it are taken back, legitimately
        message = f"restoring backup {m.id}"
        with session_scope(sessions) as session:
            window_id = switch_on(session, actor, message, exclusive=True).id
        refused_at, steps = time.monotonic(), safety.Steps()
        try:
            drained = steps.run("drain", lambda: safety.drain(sessions, drain_seconds))
            pre_restore = steps.run("safety_backup", lambda: create_backup(safety.uncompressed(target), "pre-restore"))
            marks = safety.id_marks(target.engine)
            window_id = steps.run("replace", lambda: _replace_live(target, m, copy, marks, actor, message))
            problem = steps.run("check", lambda: _live_mismatch(target, m))
        finally:
            with session_scope(sessions) as session:
                end_window(session, actor, window_id)
        refused = round(time.monotonic() - refused_at, 3)
    result = Verification(
        m.id,
        problem is None,
        problem or "restored; the live database matches the manifest",
        round(time.monotonic() - started, 3),
        {
            "safety_backup_id": pre_restore.id,
            "writes_refused_seconds": refused,
            "refused_steps_seconds": steps.seconds,
            "drained": drained.to_dict(),
            "undone": safety.undone(pre_restore.row_counts, m.row_counts, marks, restored_marks),
            "signed_out": "everyone: sessions are those of the backup, so every writer signs in again",
        },
    )
    record_check(sessions, result, RESTORE)
    with session_scope(sessions) as session:
        audit.record(session, actor, "backup.restored", m.id, {"safety_backup_id": pre_restore.id, "ok": result.ok})
    restored_head = anchors.head_anchor(target.engine, f"restore of backup {m.id}", rewound_to)
    anchors.write_anchor(anchors.anchor_files(target.directory, target.secondary), restored_head)
    return result.to_dict()


def _replace_live(target: BackupTarget, m, copy, marks: dict[str, int], actor: str, message: str) -> int:
    """Puts the proven copy live; returns the id of the exclusive window in the database now live."""
    target.engine.dispose()  # pooled connections reopen on the restored content
    if m.dialect == "sqlite":
        window_id = safety.open_window_in_copy(copy.url, actor, message)
        safety.raise_sqlite_counters(copy.file, marks)
        sqlite_copy.copy_into(copy.file, sqlite_copy.database_path(target.engine))
        return window_id
    # pg_restore replaces the tables in one transaction; the window is opened again right after it.
    pg_copy.restore(copy.file, pg_copy.libpq_url(target.engine), clean=True)
    with session_scope(make_session_factory(target.engine)) as session:
        window_id = safety.open_window(session, actor, message)
    safety.raise_pg_sequences(target.engine, marks)
    return window_id


def _live_mismatch(target: BackupTarget, m) -> str | None:
    if m.dialect == "sqlite":
        live = sqlite_copy.database_path(target.engine)
        problems = sqlite_copy.integrity_problems(live, quick=True)
        if problems:
            return "integrity check after restore: " + "; ".join(problems[:3])
        counts, revision = sqlite_copy.row_counts(live), sqlite_copy.schema_revision(live)
    else:
        counts, revision = pg_copy.counts_and_revision(pg_copy.libpq_url(target.engine))
    differ = sorted(t for t, n in m.row_counts.items() if counts.get(t) != n and t != "maintenance_windows")
    if revision != m.schema_revision or differ:
        return f"after restore: revision {revision}, tables differing from the manifest: {', '.join(differ) or 'none'}"
    return None


def restore_drill(target: BackupTarget, sessions: sessionmaker[Session], backup_id: str | None = None) -> Verification:
    """Full restore of the latest backup into scratch, a smoke check through the app's own code,
    and the measured recovery time, recorded so its trend can be watched."""
    backups = list_backups(target)
    if not backups:
        raise NotFound("there is no backup to rehearse with")
    m = manifests.find(target.directory, backup_id) if backup_id else backups[0]
    started = time.monotonic()
    details: dict = {"dialect": m.dialect, "size_bytes": m.size_bytes}
    try:
        with restored_copy(target, m) as copy:
            details.update(_smoke_check(copy.url))
        ok, reason = True, "restored into scratch and read back through the app"
    except VerificationFailed as exc:
        ok, reason = False, str(exc)
    seconds = round(time.monotonic() - started, 3)
    result = Verification(m.id, ok, reason, seconds, {**details, "recovery_seconds": seconds})
    record_check(sessions, result, DRILL)
    return result


def _smoke_check(url: str) -> dict:
    """Reads the latest evaluation and the accounts with the same code the API uses."""
    engine = make_engine(url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            latest = session.scalars(select(Evaluation).order_by(Evaluation.id.desc()).limit(1)).first()
            view = evaluation_view(latest) if latest else None
            return {"latest_evaluation_id": view["id"] if view else None, "users": len(list_users(session))}
    finally:
        engine.dispose()
