"""The built-in checks: database, disk, configuration and authentication."""

from __future__ import annotations

import os
import shutil
import time

from sqlalchemy import func, select, update

from memo_coach.auth.models import UserSession
from memo_coach.component_status import DEGRADED, HEALTHY, UNHEALTHY, ComponentStatus
from memo_coach.config_store.kinds import SCHEMAS
from memo_coach.config_store.loader import parse
from memo_coach.config_store.models import ConfigVersion
from memo_coach.db.engine import session_scope
from memo_coach.observability.health.models import HealthProbe
from memo_coach.observability.health.registry import HealthContext
from memo_coach.observability.metrics import database_size

SLOW_DATABASE_MS = 500
DISK_DEGRADED_FREE = 0.10  # share of the disk still free
PROBE_BYTES = 64 * 1024  # new blocks, as a growing database needs them
_PARSED: set[str] = set()  # checksums of contents that parsed: each parses once per process


def check_database(ctx: HealthContext) -> ComponentStatus:
    """Connects, writes this replica's probe row and reads the size; a slow answer is degraded."""
    started = time.perf_counter()
    with session_scope(ctx.sessions) as session:
        _write_probe(session, ctx)  # a write proves the connection too
    latency = round((time.perf_counter() - started) * 1000, 2)
    size, wal = database_size(ctx.engine)
    details = {"dialect": ctx.engine.dialect.name, "size_bytes": size}
    if ctx.engine.dialect.name == "sqlite":
        details["wal_bytes"] = wal
    if latency > SLOW_DATABASE_MS:
        fix = (
            "Look for long transactions or a busy disk; `memo-coach tasks run db_analyse` refreshes planner statistics."
        )
        return ComponentStatus("database", DEGRADED, f"the write probe took {latency:.0f} ms", latency, details, fix)
    return ComponentStatus("database", HEALTHY, "connected; the write probe succeeded", latency, details)


def _write_probe(session, ctx: HealthContext) -> None:
    changed = session.execute(
        update(HealthProbe).where(HealthProbe.replica == ctx.replica).values(checked_at=ctx.now)
    ).rowcount
    if not changed:
        session.add(HealthProbe(replica=ctx.replica, checked_at=ctx.now))


def check_disk(ctx: HealthContext) -> ComponentStatus:
    """Unhealthy only when a write to the data directory really fails (readiness turns 503 then);
    little free space is degraded: a small share of a big disk can still hold weeks of writes."""
    data_dir = ctx.settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    usage = shutil.disk_usage(data_dir)
    free_share = usage.free / usage.total if usage.total else 0.0
    details = {"path": str(data_dir.resolve()), "free_bytes": usage.free, "total_bytes": usage.total}
    reason = f"{free_share:.0%} free ({usage.free / 2**30:.1f} GiB)"
    fix = (
        "Free space: `memo-coach tasks run cleanup` removes old logs and scratch files; backups can move to"
        " another disk with MEMO_COACH_BACKUP_DIR."
    )
    failed = _write_fails(data_dir / f".disk-probe-{ctx.replica}")
    if failed:
        return ComponentStatus("disk", UNHEALTHY, f"writes fail: {failed}; {reason}", details=details, fix=fix)
    if free_share < DISK_DEGRADED_FREE:
        return ComponentStatus("disk", DEGRADED, reason, details=details, fix=fix)
    return ComponentStatus("disk", HEALTHY, reason, details=details)


def _write_fails(path) -> str | None:
    """Why writing and syncing a small new file fails, or None when it works."""
    try:
        with open(path, "wb") as f:
            f.write(b"\0" * PROBE_BYTES)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        return exc.strerror or str(exc)
    finally:
        path.unlink(missing_ok=True)
    return None


def check_config(ctx: HealthContext) -> ComponentStatus:
    """Every configuration file has an active version that still parses (each content parsed once)."""
    with session_scope(ctx.sessions) as session:
        rows = session.execute(
            select(ConfigVersion.id, ConfigVersion.name, ConfigVersion.number, ConfigVersion.checksum).where(
                ConfigVersion.is_active.is_(True)
            )
        ).all()
        versions = {row.name: row.number for row in rows}
        problems = [f"{name}: no active version" for name in SCHEMAS if name not in versions]
        problems += [
            problem
            for row in rows
            if row.name in SCHEMAS and row.checksum not in _PARSED
            if (problem := _parse_problem(session, row))
        ]
    details = {"active_versions": versions}
    if problems:
        fix = "Open Configuration (/admin/config) to see each file's problems, then fix or roll back the file."
        return ComponentStatus("config", UNHEALTHY, "; ".join(problems), details=details, fix=fix)
    return ComponentStatus("config", HEALTHY, "every configuration file has a valid active version", details=details)


def _parse_problem(session, row) -> str | None:
    content = session.scalar(select(ConfigVersion.content).where(ConfigVersion.id == row.id))
    try:
        parse(row.name, content)
    except Exception as exc:
        return f"{row.name} v{row.number}: {type(exc).__name__}"
    _PARSED.add(row.checksum)
    return None


def check_auth(ctx: HealthContext) -> ComponentStatus:
    with session_scope(ctx.sessions) as session:
        active = session.scalar(select(func.count()).where(UserSession.expires_at > ctx.now)) or 0
    return ComponentStatus("auth", HEALTHY, f"{active} active sessions", details={"active_sessions": active})
