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

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.scheduler import runner, schedule
from memo_coach.maintenance.scheduler.models import SCHEDULE, TaskLease
from memo_coach.settings import Settings

log = logging.getLogger(__name__)
TICK_SECONDS = 15.0


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


class Scheduler:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        sessions: sessionmaker[Session],
        tick_seconds: float = TICK_SECONDS,
        owner: str | None = None,
    ) -> None:
        self.runtime = runner.Runtime(settings, engine, sessions, owner or runner_name())
        self.tick_seconds = tick_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run_forever, name="scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Asks the loop to end after the task in flight, and waits for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def request_stop(self) -> None:
        self._stop.set()

    def run_forever(self) -> None:
        log.info("scheduler %s started", self.runtime.owner)
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # a database outage must not end the loop; the next tick tries again
                log.exception("scheduler tick failed")
            self._stop.wait(self.tick_seconds)
        log.info("scheduler %s stopped", self.runtime.owner)

    def tick(self, now: datetime | None = None) -> list[tuple[str, str]]:
        """Runs every due task this runner manages to claim; returns (task, status) pairs."""
        now = now or utcnow()
        with session_scope(self.runtime.sessions) as session:
            config, _ = schedule.active_config(session)
            schedule.sync_leases(session, config, now)
            runner.reap_abandoned(session, config, now)
            due = self._due(session, config, now)
        done = []
        for name, seen in due:
            if self._stop.is_set():
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
        with session_scope(self.runtime.sessions) as session:
            if not runner.claim_scheduled(session, name, seen, next_at, self.runtime, task.timeout_seconds):
                return None
        run_id = runner.begin_run(self.runtime, name, SCHEDULE, scheduled_for=seen)
        return runner.execute(self.runtime, run_id, name, config, task.timeout_seconds, SCHEDULE)
