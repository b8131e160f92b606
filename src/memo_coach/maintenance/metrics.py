"""Prometheus series for the scheduler and backups, read from the database at scrape time.

Every replica answers the same numbers because they come from the shared rows, not from what
this process happened to run. Alert rules read: time() - last_success > expected_period, overdue == 1,
backup_last_verification_ok == 0.
"""

from __future__ import annotations

import logging
from datetime import datetime

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.config_store.loader import ConfigError
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.backups.health import last_good_verification, latest_check
from memo_coach.maintenance.backups.models import DRILL, VERIFY
from memo_coach.maintenance.mode.service import maintenance_state
from memo_coach.maintenance.scheduler.health import task_states
from memo_coach.maintenance.scheduler.models import TaskRun
from memo_coach.observability.metrics_registry import PREFIX

log = logging.getLogger(__name__)


class MaintenanceCollector(Collector):
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def describe(self):
        return []  # collected from the database on demand; nothing to describe up front

    def collect(self):
        """A database that cannot be read must not break the whole scrape: the series are left out and
        `memo_coach_maintenance_metrics_up` says why they are missing."""
        try:
            families = self._read()
        except (SQLAlchemyError, ConfigError):
            log.warning("maintenance metrics: the database or its maintenance config could not be read", exc_info=True)
            families = []
        yield _gauge(
            "maintenance_metrics_up", "1 when the scheduler and backup series could be read", float(bool(families))
        )
        yield from families

    def _read(self) -> list:
        with session_scope(self.sessions) as session:
            return [
                *_task_families(session),
                *_backup_families(session),
                _gauge(
                    "maintenance_mode",
                    "1 while a maintenance window is in force",
                    float(maintenance_state(session).active),
                ),
            ]


def _gauge(name: str, doc: str, value: float | None = None, labels: list[str] | None = None) -> GaugeMetricFamily:
    return GaugeMetricFamily(PREFIX + name, doc, value=value, labels=labels)


def _task_families(session: Session):
    states = task_states(session, utcnow())
    success = _gauge(
        "task_last_success_timestamp_seconds", "Unix time of the task's last success (0: never)", labels=["task"]
    )
    overdue = _gauge("task_overdue", "1 when the last success is older than the expected period", labels=["task"])
    period = _gauge("task_expected_period_seconds", "How often the task must succeed", labels=["task"])
    for s in states:
        last = s["last_success_at"]
        success.add_metric([s["task"]], _epoch(last))
        overdue.add_metric([s["task"]], float(s["overdue"]))
        period.add_metric([s["task"]], s["expected_period_seconds"])
    runs = CounterMetricFamily(
        PREFIX + "task_runs", "Task runs recorded, by task and outcome", labels=["task", "status"]
    )
    for task, status, count in session.execute(
        select(TaskRun.task, TaskRun.status, func.count()).group_by(TaskRun.task, TaskRun.status)
    ):
        runs.add_metric([task, status], count)
    return [success, overdue, period, runs]


def _backup_families(session: Session):
    latest, good, drill = latest_check(session, VERIFY), last_good_verification(session), latest_check(session, DRILL)
    families = [
        _gauge(
            "backup_last_verified_timestamp_seconds",
            "Unix time of the last successful backup verification",
            good.at.timestamp() if good else 0.0,
        ),
    ]
    if latest is not None:
        families.append(
            _gauge("backup_last_verification_ok", "1 when the latest backup verification passed", float(latest.ok))
        )
    if drill is not None:
        families.append(
            _gauge(
                "backup_restore_drill_seconds",
                "Recovery time measured by the last restore drill",
                drill.duration_seconds,
            )
        )
        families.append(_gauge("backup_restore_drill_ok", "1 when the last restore drill passed", float(drill.ok)))
    return families


def _epoch(iso: str | None) -> float:
    return datetime.fromisoformat(iso).timestamp() if iso else 0.0
