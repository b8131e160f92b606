"""The assembled timeline: the incident's own events plus what concerns it, in time order.

What concerns an incident: its alerts (their firing and clearing are its events; firings held back by a
maintenance window are added), the health changes of its component's checks, configuration changes,
restarts (deploys) and maintenance windows from a lead-in before it opened until it was resolved, and
the task runs that touched its component (or failed). Not every audit event of the period: sign-ins
and the like say nothing about an outage and buried the few lines that did.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach.config_store.models import ConfigVersion
from memo_coach.db.base import utcnow
from memo_coach.incidents.models import AlertEvent, Incident, IncidentEvent
from memo_coach.incidents.sources import HEALTH_SERIES
from memo_coach.incidents.status import COMPONENTS
from memo_coach.maintenance.mode.models import MaintenanceWindow
from memo_coach.maintenance.scheduler.models import FAILED, TIMED_OUT, TaskRun
from memo_coach.observability.history.models import MetricSample
from memo_coach.observability.history.rollup import RAW
from memo_coach.observability.history.series import series

LEAD_IN = timedelta(minutes=30)  # changes shortly before an incident are often its cause
LIMIT = 200  # per kind, so a noisy window cannot make the page unbounded
FIVE_MINUTES = 300  # the history tier read when raw samples (kept a day) are gone
HEALTH_WORDS = {0: "healthy", 1: "degraded", 2: "unhealthy"}
# The health checks each maintenance task works on: a task touches a component through them.
TASK_CHECKS = {
    "backup": {"database", "disk", "backups"},
    "backup_integrity_all": {"disk", "backups"},
    "restore_drill": {"disk", "backups"},
    "integrity_quick": {"database"},
    "integrity_full": {"database"},
    "db_analyse": {"database"},
    "wal_checkpoint": {"database", "disk"},
    "db_vacuum": {"database", "disk"},
    "session_purge": {"database"},
    "archive": {"database", "disk"},
    "cleanup": {"disk"},
}


def _entry(at: datetime, kind: str, message: str, actor: str = "system", public: bool = False) -> dict[str, Any]:
    return {"at": at.isoformat(), "kind": kind, "message": message, "actor": actor, "public": public}


def _checks(component: str) -> set[str]:
    """The health checks behind a status-page component; an incident on "service" concerns all of them."""
    if component in COMPONENTS:
        return set(COMPONENTS[component])
    return {check for checks in COMPONENTS.values() for check in checks}


def incident_events(session: Session, incident: Incident) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(IncidentEvent)
        .where(IncidentEvent.incident_id == incident.id)
        .order_by(IncidentEvent.at, IncidentEvent.id)
    )
    return [_entry(e.at, e.kind, e.message, e.actor, e.public) for e in rows]


def _held_alerts(session: Session, incident: Incident, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Firings of its rule held back by a maintenance window: the alert was there before the incident."""
    if not incident.cause:
        return []
    rows = session.scalars(
        select(AlertEvent)
        .where(AlertEvent.rule == incident.cause, AlertEvent.kind == "held")
        .where(AlertEvent.at >= start, AlertEvent.at <= end)
        .limit(LIMIT)
    )
    return [_entry(a.at, "alert_held", f"{a.rule} fired during maintenance (value {a.value})") for a in rows]


def _health_changes(session: Session, checks: set[str], start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Each time a check of the component changed state, from the stored health history."""
    entries = []
    for check in sorted(checks):
        points = series(session, HEALTH_SERIES, start, end, RAW, check) or series(
            session, HEALTH_SERIES, start, end, FIVE_MINUTES, check
        )
        before = None
        for at, value in points:
            state = HEALTH_WORDS.get(round(value), "unhealthy")
            if before is not None and state != before:
                entries.append(_entry(at, "health", f"{check} {before} -> {state}"))
            before = state
    return entries[:LIMIT]


def _starts(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Processes that began sampling inside the window (a deploy or a restart): a replica id is host and
    pid, so a restart is a new replica's first raw sample (raw samples are kept a day)."""
    first = (
        select(MetricSample.replica, func.min(MetricSample.ts))
        .where(MetricSample.resolution == RAW, MetricSample.ts >= start - timedelta(minutes=1), MetricSample.ts <= end)
        .group_by(MetricSample.replica)
    )
    return [
        _entry(at, "restart", f"process {replica} started") for replica, at in session.execute(first) if at >= start
    ]


def _changes(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    # A file's first version is its initial import (every fresh start has them), not a change.
    versions = session.scalars(
        select(ConfigVersion)
        .where(ConfigVersion.created_at >= start, ConfigVersion.created_at <= end, ConfigVersion.number > 1)
        .limit(LIMIT)
    )
    windows = session.scalars(
        select(MaintenanceWindow).where(MaintenanceWindow.starts_at >= start, MaintenanceWindow.starts_at <= end)
    )
    return [
        *(_entry(v.created_at, "config_change", f"{v.name} v{v.number}: {v.reason}", v.author) for v in versions),
        *(_entry(w.starts_at, "maintenance", f"maintenance window: {w.message}", w.created_by) for w in windows),
        *_starts(session, start, end),
    ]


def _task_runs(session: Session, checks: set[str], start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Runs of tasks that work on the component's checks, and any run that failed (a failure may be why)."""
    touching = [task for task, worked_on in TASK_CHECKS.items() if worked_on & checks]
    everything = "scheduler" in checks  # background jobs: every task is its subject
    query = select(TaskRun).where(TaskRun.started_at >= start, TaskRun.started_at <= end)
    if not everything:
        query = query.where(TaskRun.task.in_(touching) | TaskRun.status.in_((FAILED, TIMED_OUT)))
    runs = session.scalars(query.order_by(TaskRun.started_at).limit(LIMIT))
    return [
        _entry(r.started_at, "task_run", f"task {r.task} {r.status} ({r.trigger})", r.actor or "scheduler")
        for r in runs
    ]


def assembled_timeline(session: Session, incident: Incident) -> list[dict[str, Any]]:
    start, end = incident.opened_at - LEAD_IN, incident.resolved_at or utcnow()
    checks = _checks(incident.component)
    entries = [
        *incident_events(session, incident),
        *_held_alerts(session, incident, start, end),
        *_health_changes(session, checks, start, end),
        *_changes(session, start, end),
        *_task_runs(session, checks, start, end),
    ]
    return sorted(entries, key=lambda e: e["at"])
