"""Claiming and running one task: the conditional UPDATE, the timeout, and the run record.

Claims follow healthchecks' sendalerts: UPDATE ... WHERE <still claimable> and check that exactly
one row changed, so with any number of replicas each scheduled run is taken once. The claim moves
`next_run_at` forward before the task starts, so a task that raises is not retried in a loop.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, case, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.maintenance import task_registry as registry
from memo_coach.maintenance.config import MaintenanceConfig
from memo_coach.maintenance.scheduler import schedule
from memo_coach.maintenance.scheduler.models import (
    FAILED,
    RUNNING,
    SKIPPED,
    SUCCEEDED,
    TIMED_OUT,
    TaskLease,
    TaskRun,
)
from memo_coach.settings import Settings

log = logging.getLogger(__name__)
# A lease outlives the task's timeout by this much, then expires even if its holder crashed.
LEASE_GRACE = timedelta(seconds=60)
DEFAULT_TIMEOUT = 3600.0


@dataclass(frozen=True)
class TaskRunner:
    """What running tasks needs from the process: settings, database, and a name for this runner (the
    app's runtime builds one)."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    owner: str


def _lease_free(now: datetime):
    return or_(TaskLease.lease_expires_at.is_(None), TaskLease.lease_expires_at < now)


def claim_scheduled(
    session: Session, name: str, seen: datetime, next_at: datetime, rt: TaskRunner, timeout: float
) -> bool:
    """Takes the run due at `seen`; False when another runner took it first."""
    now = utcnow()
    result = session.execute(
        update(TaskLease)
        .where(TaskLease.name == name, TaskLease.next_run_at == seen, _lease_free(now))
        .values(owner=rt.owner, lease_expires_at=now + timedelta(seconds=timeout) + LEASE_GRACE, next_run_at=next_at)
    )
    session.commit()
    return result.rowcount == 1


def claim_now(session: Session, name: str, rt: TaskRunner, timeout: float) -> bool:
    """Takes the task for a run on demand, unless a runner holds it right now. A lease whose owner
    was a process of this host that no longer exists (killed mid-run) is free at once, instead of
    blocking the task until the dead run's timeout."""
    now = utcnow()
    holder = session.scalar(select(TaskLease.owner).where(TaskLease.name == name))
    dead = holder is not None and owner_is_gone(holder)
    free = or_(_lease_free(now), TaskLease.owner == holder) if dead else _lease_free(now)
    result = session.execute(
        update(TaskLease)
        .where(TaskLease.name == name, free)
        .values(owner=rt.owner, lease_expires_at=now + timedelta(seconds=timeout) + LEASE_GRACE)
    )
    if dead and result.rowcount == 1:
        session.execute(
            update(TaskRun)
            .where(TaskRun.task == name, TaskRun.runner == holder, TaskRun.status == RUNNING)
            .values(status=FAILED, reason="its runner process died mid-run", finished_at=now)
        )
    session.commit()
    return result.rowcount == 1


def owner_is_gone(owner: str) -> bool:
    """True for a runner name (host:pid:thread) of this host whose process no longer exists."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def begin_run(rt: TaskRunner, name: str, trigger: str, actor: str = "", scheduled_for: datetime | None = None) -> int:
    with session_scope(rt.sessions) as session:
        run = TaskRun(
            task=name, trigger=trigger, status=RUNNING, runner=rt.owner, actor=actor, scheduled_for=scheduled_for
        )
        session.add(run)
        session.flush()
        return run.id


def record_skipped(rt: TaskRunner, name: str, trigger: str, reason: str, actor: str = "") -> int:
    with session_scope(rt.sessions) as session:
        now = utcnow()
        run = TaskRun(
            task=name,
            trigger=trigger,
            status=SKIPPED,
            reason=reason,
            runner=rt.owner,
            actor=actor,
            started_at=now,
            finished_at=now,
            duration_seconds=0.0,
        )
        session.add(run)
        session.flush()
        return run.id


def execute(rt: TaskRunner, run_id: int, name: str, config: MaintenanceConfig, timeout: float, trigger: str) -> str:
    """Runs the task bounded by its timeout and records how it ended."""
    outcome, seconds = run_bounded(rt, run_id, name, config, timeout, trigger)
    _finish(rt, run_id, outcome, seconds)
    log.info("task %s finished: %s %s", name, outcome["status"], outcome.get("reason", ""))
    return outcome["status"]


def run_bounded(
    rt: TaskRunner, run_id: int | None, name: str, config: MaintenanceConfig, timeout: float, trigger: str
) -> tuple[dict, float]:
    """(how the task ended, seconds): it runs in a worker thread bounded by its timeout.

    Python cannot kill a thread: a task past its timeout is recorded as timed out and left to
    finish on its own, and its lease is kept until it expires so no second copy starts meanwhile.
    """
    ctx = registry.TaskContext(rt.settings, rt.engine, rt.sessions, config, utcnow(), run_id, trigger)
    outcome: dict = {}
    worker = threading.Thread(target=_call, args=(registry.get(name), ctx, outcome), name=f"task-{name}", daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        outcome = {"status": TIMED_OUT, "reason": f"still running after its {timeout:g} s timeout; abandoned"}
    return outcome, time.monotonic() - started


def record_finished(
    rt: TaskRunner, name: str, trigger: str, actor: str, outcome: dict, started_at: datetime, seconds: float
) -> int:
    """Records a run that already ended (one that ran before it could be recorded, or a backup taken
    outside the scheduler) in one transaction, so a disk that refuses it leaves no half record; returns its id."""
    with session_scope(rt.sessions) as session:
        schedule.ensure_lease(session, name)
        run = TaskRun(task=name, trigger=trigger, runner=rt.owner, actor=actor, started_at=started_at)
        session.add(run)
        _end(session, rt, run, outcome, seconds, release=False)
        session.flush()
        return run.id


def _call(task: registry.RegisteredTask, ctx: registry.TaskContext, outcome: dict) -> None:
    try:
        result = task.function(ctx)
        outcome.update(status=SUCCEEDED, summary=result.summary, details=result.details)
    except registry.TaskSkipped as exc:
        outcome.update(status=SKIPPED, reason=str(exc))
    except registry.TaskFailed as exc:
        outcome.update(status=FAILED, reason=str(exc), details=exc.details)
    except Exception as exc:  # a task's own bug is recorded, never allowed to stop the scheduler
        log.exception("task %s raised", task.name)
        outcome.update(status=FAILED, reason=f"{type(exc).__name__}: {exc}")


def _finish(rt: TaskRunner, run_id: int, outcome: dict, seconds: float) -> None:
    with session_scope(rt.sessions) as session:
        _end(session, rt, session.get(TaskRun, run_id), outcome, seconds)


def _end(session: Session, rt: TaskRunner, run: TaskRun, outcome: dict, seconds: float, release: bool = True) -> None:
    """Ends the run record and updates the task's lease: its last status and success, and lets go of
    it. A run recorded after the fact (`release` false) updates the lease whoever holds it."""
    now = utcnow()
    run.status, run.finished_at, run.duration_seconds = outcome["status"], now, round(seconds, 3)
    run.reason = outcome.get("reason", "")[:500]
    run.summary = outcome.get("summary", "")[:500]
    run.details = outcome.get("details", {})
    values: dict = {"last_status": run.status}
    # The dead man's switch asks whether the task ran: one with nothing it can do here (skipped,
    # with its reason, e.g. a scan on a host with no network) is on time, not overdue forever.
    if run.status in (SUCCEEDED, SKIPPED):
        values["last_success_at"] = now
    lease = update(TaskLease).where(TaskLease.name == run.task)
    if release:
        lease = lease.where(TaskLease.owner == rt.owner)
    if run.status != TIMED_OUT:  # let go of the lease if this runner holds it, and only then
        ours = TaskLease.owner == rt.owner
        values.update(
            owner=case((ours, None), else_=TaskLease.owner),
            lease_expires_at=case((ours, None), else_=TaskLease.lease_expires_at),
        )
    session.execute(lease.values(**values))


def reap_abandoned(session: Session, config: MaintenanceConfig, now: datetime) -> int:
    """Marks runs whose runner died mid-task (no end long after their timeout) as failed."""
    reaped = 0
    for run in session.query(TaskRun).filter(TaskRun.status == RUNNING):
        timeout = config.tasks[run.task].timeout_seconds if run.task in config.tasks else DEFAULT_TIMEOUT
        if run.started_at + timedelta(seconds=timeout) + LEASE_GRACE < now:
            run.status, run.finished_at = FAILED, now
            run.reason = "abandoned: the process running it stopped before it finished"
            reaped += 1
    session.commit()
    return reaped
