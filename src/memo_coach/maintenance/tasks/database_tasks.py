"""Database upkeep as scheduled tasks: integrity checks, statistics, WAL checkpoints, VACUUM, sessions."""

from __future__ import annotations

from memo_coach.auth import rate_limits
from memo_coach.auth.sessions import purge_expired
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.scheduler.models import SCHEDULE
from memo_coach.maintenance.task_registry import TaskContext, TaskFailed, TaskOutcome, TaskSkipped, register
from memo_coach.maintenance.upkeep import database


def _integrity(ctx: TaskContext, full: bool) -> TaskOutcome:
    problems = database.integrity_check(ctx.engine, full)
    if problems:
        raise TaskFailed(f"integrity check found {len(problems)} problem(s): {problems[0]}", {"problems": problems})
    kind = "full" if full else "quick"
    return TaskOutcome(f"{kind} integrity check: no problem found", {"kind": kind, "dialect": ctx.engine.dialect.name})


@register("integrity_quick", "Quick integrity check of the live database (PRAGMA quick_check)")
def integrity_quick(ctx: TaskContext) -> TaskOutcome:
    return _integrity(ctx, full=False)


@register(
    "integrity_full", "Full integrity check of the live database (PRAGMA integrity_check; every table on PostgreSQL)"
)
def integrity_full(ctx: TaskContext) -> TaskOutcome:
    return _integrity(ctx, full=True)


@register("db_analyse", "Refresh planner statistics (PRAGMA optimize / ANALYZE)")
def analyse(ctx: TaskContext) -> TaskOutcome:
    return TaskOutcome(f"ran {database.analyse(ctx.engine)}")


@register(
    "wal_checkpoint",
    "Checkpoint and truncate the SQLite WAL once it grows past the threshold (at any size when run by hand)",
    frees_space=True,
)
def wal_checkpoint(ctx: TaskContext) -> TaskOutcome:
    if not database.is_sqlite(ctx.engine):
        raise TaskSkipped("PostgreSQL manages its own WAL")
    if not database.wal_path(ctx.engine).exists():  # closed cleanly: nothing to move, and no need to connect
        raise TaskSkipped("no WAL file: every change is already in the database file")
    # By hand (a runbook on a full disk), the operator wants the room back whatever the WAL's size.
    threshold = int(ctx.config.upkeep.wal_checkpoint_mb * 1024 * 1024) if ctx.trigger == SCHEDULE else 0
    result = database.checkpoint_if_large(ctx.engine, threshold)
    words = "checkpointed" if result["checkpointed"] else "below the threshold"
    return TaskOutcome(f"WAL {result['wal_bytes']:,} bytes: {words}", result)


@register("db_vacuum", "VACUUM (SQLite) or VACUUM ANALYZE with a bloat and unused-index report (PostgreSQL)")
def vacuum(ctx: TaskContext) -> TaskOutcome:
    result = database.vacuum(ctx.engine)
    if database.is_sqlite(ctx.engine):
        return TaskOutcome(f"VACUUM: {result['bytes_before']:,} -> {result['bytes_after']:,} bytes", result)
    return TaskOutcome(f"VACUUM ANALYZE; {len(result['unused_indexes'])} unused indexes", result)


@register("session_purge", "Delete expired sign-in sessions and rate-limit counts older than a day")
def session_purge(ctx: TaskContext) -> TaskOutcome:
    with session_scope(ctx.sessions) as session:
        purged = purge_expired(session)
        counts = rate_limits.purge_old(session, utcnow())
    return TaskOutcome(
        f"purged {purged} expired sessions and {counts} old rate-limit counts",
        {"purged": purged, "rate_limit_counts": counts},
    )
