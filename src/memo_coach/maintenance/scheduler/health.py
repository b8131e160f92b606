"""The dead man's switch: a task whose last success is older than its expected period is overdue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.component_status import DEGRADED, HEALTHY, ComponentStatus
from memo_coach.config_store.versions import active_version, read_active
from memo_coach.maintenance.config import MaintenanceConfig
from memo_coach.maintenance.scheduler import schedule
from memo_coach.maintenance.scheduler.models import FAILED, TIMED_OUT, TaskLease

NAME = "scheduler"


def task_states(session: Session, now: datetime) -> list[dict]:
    """Per scheduled, enabled task: last success, last status, next run and whether it is overdue.

    A task that never succeeded is measured from when its lease appeared, or failing that from when
    the maintenance config became active, so a scheduler that never runs at all still trips the switch.
    """
    config = read_active(session, MaintenanceConfig)
    version = active_version(session, "maintenance")
    config_since = version.created_at if version else None
    leases = {lease.name: lease for lease in session.scalars(select(TaskLease))}
    states = []
    for name, task in sorted(config.tasks.items()):
        if not task.enabled:
            continue
        lease = leases.get(name)
        since = (lease.last_success_at or lease.created_at) if lease else config_since
        period = schedule.expected_period(task)
        states.append(
            {
                "task": name,
                "last_success_at": lease.last_success_at.isoformat() if lease and lease.last_success_at else None,
                "last_status": lease.last_status if lease else None,
                "next_run_at": lease.next_run_at.isoformat() if lease and lease.next_run_at else None,
                "running_on": lease.owner
                if lease and lease.lease_expires_at and lease.lease_expires_at > now
                else None,
                "expected_period_seconds": period.total_seconds(),
                "overdue": since is not None and now - since > period,
            }
        )
    return states


def scheduler_health(session: Session, now: datetime) -> ComponentStatus:
    """Degraded, naming the tasks, when any is overdue or its last run failed or timed out."""
    states = task_states(session, now)
    overdue = [s["task"] for s in states if s["overdue"]]
    failing = [s["task"] for s in states if s["last_status"] in (FAILED, TIMED_OUT)]
    details = {"tasks": states, "overdue": overdue, "failing": failing}
    problems = []
    if overdue:
        problems.append(f"overdue: {', '.join(overdue)}")
    if failing:
        problems.append(f"last run failed: {', '.join(failing)}")
    if problems:
        fix = "Open the Maintenance page to read the failed run's reason and press Run now on the task"
        fix += f" (or `memo-coach tasks run {(overdue + failing)[0]}`); a stopped worker shows as every task overdue."
        return ComponentStatus(NAME, DEGRADED, "; ".join(problems), details=details, fix=fix)
    return ComponentStatus(NAME, HEALTHY, f"{len(states)} scheduled tasks on time", details=details)
