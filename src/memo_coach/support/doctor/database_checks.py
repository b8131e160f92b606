"""Checks of the stored data: reachable and migrated, intact, audit chain unbroken, no stranded evaluations.

Health's write probe says the database answers; the doctor asks what health does not: whether it is
locked, behind the code's migrations, past its end of life, corrupt, or its audit chain broken.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from memo_coach.audit import verify_chain
from memo_coach.coaching.health import evaluations_health
from memo_coach.db import migrate
from memo_coach.support.doctor.result import (
    FAIL,
    WARN,
    CheckResult,
    DoctorContext,
    from_health,
    ok,
    problem,
    unreachable,
)
from memo_coach.support.technology import database_key, database_version, end_of_life

LOCK_PROBE_MS = 300


def check_database(ctx: DoctorContext) -> CheckResult:
    """Connects, takes the write lock for a moment (SQLite), and compares the schema with the code's head."""
    if ctx.engine is None:
        return problem(FAIL, "database", str(ctx.database_error), "run `memo-coach init`")
    try:
        with ctx.engine.connect() as conn:
            if ctx.engine.dialect.name == "sqlite":
                conn.exec_driver_sql(f"PRAGMA busy_timeout={LOCK_PROBE_MS}")
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                conn.exec_driver_sql("ROLLBACK")
            else:
                conn.execute(text("SELECT 1"))
        current, head = migrate.current_revision(ctx.engine), migrate.head_revision()
        name, version = database_version(ctx.engine)
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0][:300]
        locked = "locked" in reason
        return problem(
            FAIL,
            "database",
            f"{'locked by another process' if locked else 'unreachable'}: {reason}",
            "find the process holding the lock (fuser DATA_DIR/memo_coach.db)"
            if locked
            else "start the database server, check MEMO_COACH_DATABASE_URL",
        )
    details = {"dialect": name, "server_version": version, "revision": current, "head": head}
    if current != head:
        return problem(
            FAIL,
            "database",
            f"schema at {current or 'nothing'}, code expects {head}",
            "run `memo-coach db upgrade` (it backs up first)",
            **details,
        )
    eol = end_of_life(ctx.config, database_key(name, version))
    if eol and eol <= ctx.now.date():
        return problem(
            WARN,
            "database",
            f"{name} {version} reached its end of life on {eol}",
            "plan an upgrade",
            **details,
        )
    return ok("database", f"{name} {version} reachable, schema at head {head}", **details)


def check_integrity(ctx: DoctorContext) -> CheckResult:
    """SQLite's quick_check (pages and indexes, no row-by-row compare); on PostgreSQL, invalid indexes."""
    if ctx.database_error:
        return unreachable("integrity", ctx)
    with ctx.engine.connect() as conn:
        if ctx.engine.dialect.name == "sqlite":
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check(5)")]
            bad = [] if rows == ["ok"] else rows
        else:
            bad = list(
                conn.execute(text("SELECT indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid")).scalars()
            )
    if bad:
        return problem(
            FAIL,
            "integrity",
            f"integrity problems: {'; '.join(map(str, bad))[:300]}",
            "stop writes, take a backup of what is there, then restore the last verified backup",
            problems=bad,
        )
    return ok("integrity", "quick integrity check passed")


def check_audit_chain(ctx: DoctorContext) -> CheckResult:
    if ctx.database_error:
        return unreachable("audit_chain", ctx)
    with ctx.sessions() as session:
        intact, broken_at = verify_chain(session)
        events = session.scalar(text("SELECT count(*) FROM audit_events")) or 0
    if not intact:
        return problem(
            FAIL,
            "audit_chain",
            f"the audit chain breaks at event {broken_at}: a row was edited or deleted",
            "preserve the database as evidence (backup create), then compare with the last verified backup",
            broken_at=broken_at,
        )
    return ok("audit_chain", f"{events} audit events, chain intact", events=events)


def check_pending_evaluations(ctx: DoctorContext) -> CheckResult:
    """Health's evaluations check, failing once one has been stranded for support.yaml's minutes."""
    if ctx.database_error:
        return unreachable("pending_evaluations", ctx)
    limit = timedelta(minutes=ctx.config.doctor.stranded_after_minutes)
    with ctx.sessions() as session:
        return from_health("pending_evaluations", evaluations_health(session, ctx.now, unhealthy_after=limit))
