"""The scheduler loop: in a thread of the web process, or alone as `memo-coach worker`.

Each tick reads the shared schedule, claims what is due and runs it, one task at a time. Stopping
(SIGTERM, or the app shutting down) lets the task in flight finish before the loop ends.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.config import MaintenanceConfig
from memo_coach.maintenance.scheduler import runner, schedule
from memo_coach.maintenance.scheduler.models import SCHEDULE, TaskLease
from memo_coach.periodic import PeriodicLoop

log = logging.getLogger(__name__)
TICK_SECONDS = 15.0


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


class Scheduler:
    def __init__(self, tasks: runner.TaskRunner, tick_seconds: float = TICK_SECONDS) -> None:
        self.tasks = tasks
        # A failed tick (a database outage) is logged and the next one tries again.
        self._loop = PeriodicLoop("scheduler", tick_seconds, self.tick, run_first=True)

    @property
    def tick_seconds(self) -> float:
        return self._loop.interval_seconds

    @tick_seconds.setter
    def tick_seconds(self, seconds: float) -> None:  # `memo-coach worker --tick`
        self._loop.interval_seconds = seconds

    def start(self) -> None:
        log.info("scheduler %s started", self.tasks.owner)
        self._loop.start()

    def stop(self, timeout: float | None = None) -> None:
        """Asks the loop to end after the task in flight, and waits for it (by default as long as that
        task takes: each task has its own timeout)."""
        self._loop.stop(timeout)
        log.info("scheduler %s stopped", self.tasks.owner)

    def request_stop(self) -> None:
        """Without waiting (a signal handler): the task in flight finishes, then `run_forever` returns."""
        self._loop.request_stop()

    def run_forever(self) -> None:
        """In the caller's thread (`memo-coach worker`), until `request_stop()`."""
        log.info("scheduler %s started", self.tasks.owner)
        self._loop.run_forever()
        log.info("scheduler %s stopped", self.tasks.owner)

    def tick(self, now: datetime | None = None) -> list[tuple[str, str]]:
        """Runs every due task this runner manages to claim; returns (task, status) pairs."""
        now = now or utcnow()
        with session_scope(self.tasks.sessions) as session:
            config = read_active(session, MaintenanceConfig)
            schedule.sync_leases(session, config, now)
            runner.reap_abandoned(session, config, now)
            due = self._due(session, config, now)
        done = []
        for name, seen in due:
            if self._loop.stopping:
                break
            status = self._run_due(config, name, seen, now)
            if status:
                done.append((name, status))
        return done

    @staticmethod
    def _due(session: Session, config, now: datetime) -> list[tuple[str, datetime]]:
        enabled = [n for n, t in config.tasks.items() if t.enabled]
        rows = session.execute(
            select(TaskLease.name, TaskLease.next_run_at)
            .where(TaskLease.name.in_(enabled), TaskLease.next_run_at <= now)
            .order_by(TaskLease.next_run_at)
        ).all()
        return [(name, seen) for name, seen in rows]

    def _run_due(self, config, name: str, seen: datetime, now: datetime) -> str | None:
        task = config.tasks[name]
        # A run missed while no scheduler was up is made up once, then the schedule carries on from now.
        next_at = schedule.next_fire(task, config.zone_of(name), max(now, utcnow(), seen))
        with session_scope(self.tasks.sessions) as session:
            if not runner.claim_scheduled(session, name, seen, next_at, self.tasks, task.timeout_seconds):
                return None
        run_id = runner.begin_run(self.tasks, name, SCHEDULE, scheduled_for=seen)
        return runner.execute(self.tasks, run_id, name, config, task.timeout_seconds, SCHEDULE)
