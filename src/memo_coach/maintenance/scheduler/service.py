"""The scheduler as operators meet it: the schedule with next runs, run history, and "run now"."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.errors import InvalidInput, NotFound
from memo_coach.maintenance import task_registry as registry
from memo_coach.maintenance.config import MaintenanceConfig
from memo_coach.maintenance.scheduler import cron_words, full_disk, runner, schedule
from memo_coach.maintenance.scheduler.health import task_states
from memo_coach.maintenance.scheduler.models import STATUSES, TaskLease, TaskRun


def schedule_view(session: Session, now: datetime | None = None) -> list[dict]:
    """Every registered task: its schedule (cron and in words) if it has one, next runs, last run and
    overdue flag; a task run only by hand has its last run too."""
    now = now or utcnow()
    config = read_active(session, MaintenanceConfig)
    states = {s["task"]: s for s in task_states(session, now)}
    leases = {lease.name: lease for lease in session.scalars(select(TaskLease))}
    rows = []
    for name, task in sorted(registry.tasks().items()):
        entry = {"task": name, "description": task.description, "scheduled": name in config.tasks}
        entry.update(_schedule(config, name, now) if name in config.tasks else {"schedule_text": "by hand only"})
        entry.update(states.get(name) or _last_run(leases.get(name)))
        rows.append(entry)
    return rows


def _schedule(config: MaintenanceConfig, name: str, now: datetime) -> dict:
    cfg, zone = config.tasks[name], config.zone_of(name)
    words = cron_words.describe(cfg.cron, zone)
    return {
        "cron": cfg.cron,
        "timezone": zone,
        "schedule_text": words if cfg.enabled else f"{words} (disabled)",
        "enabled": cfg.enabled,
        "timeout_seconds": cfg.timeout_seconds,
        "expected_period_hours": cfg.expected_period_hours,
        "upcoming": [t.isoformat() for t in schedule.upcoming(cfg, zone, now)] if cfg.enabled else [],
    }


def _last_run(lease: TaskLease | None) -> dict:
    """A task the dead man's switch does not watch (by hand only, or disabled) still shows how it last ended."""
    if lease is None:
        return {}
    return {
        "last_success_at": lease.last_success_at.isoformat() if lease.last_success_at else None,
        "last_status": lease.last_status,
    }


def run_view(run: TaskRun) -> dict:
    return {
        "id": run.id,
        "task": run.task,
        "trigger": run.trigger,
        "status": run.status,
        "reason": run.reason,
        "summary": run.summary,
        "details": run.details,
        "scheduled_for": run.scheduled_for.isoformat() if run.scheduled_for else None,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "duration_seconds": run.duration_seconds,
        "runner": run.runner,
        "actor": run.actor,
    }


def history(session: Session, task: str | None = None, status: str | None = None, limit: int = 50) -> list[TaskRun]:
    query = select(TaskRun).order_by(TaskRun.id.desc()).limit(limit)
    if task:
        query = query.where(TaskRun.task == task)
    if status:
        if status not in STATUSES:
            raise InvalidInput(f"status must be one of {', '.join(STATUSES)}", field="status")
        query = query.where(TaskRun.status == status)
    return list(session.scalars(query))


def get_run(session: Session, run_id: int) -> TaskRun:
    run = session.get(TaskRun, run_id)
    if run is None:
        raise NotFound(f"no task run {run_id}", field="run_id")
    return run


def run_now(rt: runner.TaskRunner, name: str, trigger: str, actor: str, background: bool = False) -> int:
    """Runs a registered task now, whatever its schedule; returns the run id.

    With `background`, the claim and the run record happen now and the task runs in a thread, so an
    API call answers at once. A task another runner is running is recorded as skipped, not run twice.
    A task that frees space, on a disk too full to record its run, runs first and is recorded after.
    """
    if name not in registry.tasks():
        raise NotFound(f"no task named {name!r}; see `memo-coach tasks list`", field="task")
    try:
        run_id, config, timeout = _begin(rt, name, trigger, actor)
    except full_disk.STORAGE_ERRORS as exc:
        if registry.get(name).frees_space and full_disk.no_room(exc, rt.settings.data_dir):
            return full_disk.run_first(rt, name, trigger, actor)
        raise
    if config is None:
        return run_id
    args = (rt, run_id, name, config, timeout, trigger)
    if background:
        threading.Thread(target=runner.execute, args=args, name=f"run-now-{name}", daemon=True).start()
    else:
        runner.execute(*args)
    return run_id


def _begin(rt: runner.TaskRunner, name: str, trigger: str, actor: str) -> tuple[int, MaintenanceConfig | None, float]:
    """Claims the task and records the run's start: (run id, config, timeout); no config when another
    runner holds the task and the run was recorded as skipped."""
    with session_scope(rt.sessions) as session:
        config = read_active(session, MaintenanceConfig)
        timeout = config.tasks[name].timeout_seconds if name in config.tasks else runner.DEFAULT_TIMEOUT
        schedule.ensure_lease(session, name)
        claimed = runner.claim_now(session, name, rt, timeout)
        audit.record(session, actor, "task.run_requested", name, {"trigger": trigger, "claimed": claimed})
    if not claimed:
        return runner.record_skipped(rt, name, trigger, "already running on another runner", actor), None, timeout
    return runner.begin_run(rt, name, trigger, actor), config, timeout
