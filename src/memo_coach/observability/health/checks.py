"""Observability's own checks: the database accepts writes, the disk has room; and the llm_up series."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from sqlalchemy import update

from memo_coach.component_status import DEGRADED, HEALTHY, UNHEALTHY, ComponentStatus
from memo_coach.db.engine import session_scope
from memo_coach.observability.health.models import HealthProbe
from memo_coach.observability.health.registry import HealthContext
from memo_coach.observability.metrics import LLM_UP, database_size, disk_used_share
from memo_coach.observability.units import BYTES, RATIO, human

SLOW_DATABASE_MS = 500
DISK_DEGRADED_FREE = 0.10  # share of the disk still free
PROBE_BYTES = 64 * 1024  # new blocks, as a growing database needs them


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
    ctx.settings.data_dir.mkdir(parents=True, exist_ok=True)
    return disk_health(ctx.settings.data_dir, f".disk-probe-{ctx.replica}")


def disk_health(
    directory: Path, probe_file: str | None, degraded_below: float = DISK_DEGRADED_FREE, unhealthy_below: float = 0.0
) -> ComponentStatus:
    """Unhealthy when a write of `probe_file` into `directory` really fails (readiness turns 503 then);
    little free space is degraded: a small share of a big disk can still hold weeks of writes. The
    doctor, which asks an operator to act, passes its own shares."""
    usage = shutil.disk_usage(directory)
    used_share = disk_used_share(usage)
    free_share = 1 - used_share
    details = {"path": str(directory.resolve()), "free_bytes": usage.free, "total_bytes": usage.total}
    # "used", as the disk chart and the disk alerts say it, so the card and the chart show one number.
    reason = f"{human(used_share, RATIO)} used ({human(usage.free, BYTES)} free)"
    fix = (
        "Free space: `memo-coach tasks run cleanup` removes old logs and scratch files; backups can move to"
        " another disk with MEMO_COACH_BACKUP_DIR."
    )
    failed = _write_fails(directory / probe_file) if probe_file else None
    if failed:
        return ComponentStatus("disk", UNHEALTHY, f"writes fail: {failed}; {reason}", details=details, fix=fix)
    if free_share < unhealthy_below:
        return ComponentStatus("disk", UNHEALTHY, reason, details=details, fix=fix)
    if free_share < degraded_below:
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


def llm_up(status: ComponentStatus) -> ComponentStatus:
    """Keeps llm_up true to the health check as well as to real calls: a provider that fails its probe
    while nobody writes still reads 0."""
    provider = status.details.get("provider")
    if provider not in (None, "offline"):
        LLM_UP.labels(provider).set(1 if status.status == HEALTHY else 0)
    return status
