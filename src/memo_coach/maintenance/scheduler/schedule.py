"""Reading the schedule: the active maintenance config, cron next-fire times, and the task leases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from croniter import croniter
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from memo_coach.maintenance.config import MaintenanceConfig, TaskSchedule
from memo_coach.maintenance.scheduler.models import TaskLease


def schedule_key(config: MaintenanceConfig, name: str) -> str:
    return f"{config.tasks[name].cron}|{config.zone_of(name)}"


def next_fire(task: TaskSchedule, zone: str, after: datetime) -> datetime:
    """The next time the cron fires strictly after `after`, read in the task's zone, returned in UTC."""
    local = after.astimezone(ZoneInfo(zone))
    return croniter(task.cron, local).get_next(datetime).astimezone(UTC)


def upcoming(task: TaskSchedule, zone: str, after: datetime, count: int = 3) -> list[datetime]:
    it = croniter(task.cron, after.astimezone(ZoneInfo(zone)))
    return [it.get_next(datetime).astimezone(UTC) for _ in range(count)]


def expected_period(task: TaskSchedule) -> timedelta:
    return timedelta(hours=task.expected_period_hours)


def sync_leases(session: Session, config: MaintenanceConfig, now: datetime) -> None:
    """Gives every scheduled task a lease row and re-times those whose cron or zone changed."""
    leases = {lease.name: lease for lease in session.scalars(select(TaskLease))}
    for name, task in config.tasks.items():
        key = schedule_key(config, name)
        lease = leases.get(name)
        if lease is None:
            _insert_lease(session, name, key, next_fire(task, config.zone_of(name), now))
        elif lease.schedule != key:
            lease.schedule, lease.next_run_at = key, next_fire(task, config.zone_of(name), now)
    session.commit()


def _insert_lease(session: Session, name: str, key: str, next_run_at: datetime) -> None:
    """Two replicas may insert at once; the loser's insert fails on the key and is simply dropped."""
    try:
        with session.begin_nested():
            session.add(TaskLease(name=name, schedule=key, next_run_at=next_run_at))
    except IntegrityError:
        pass


def ensure_lease(session: Session, name: str) -> None:
    """A lease row for a task run by hand that has no schedule (yet)."""
    if session.get(TaskLease, name) is None:
        _insert_lease(session, name, "", None)
        session.commit()
