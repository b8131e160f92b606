"""The assembled timeline: the incident's own events plus what happened around it in the window.

Task runs, configuration versions, audit events (role changes, maintenance mode, sign-in locks ...),
maintenance windows and process restarts between the opening (minus a lead-in) and the resolution join the incident's
events, in time order, so the review starts from facts rather than memory.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach.audit.models import AuditEvent
from memo_coach.config_store.models import ConfigVersion
from memo_coach.db.base import utcnow
from memo_coach.incidents.models import Incident, IncidentEvent
from memo_coach.maintenance.mode.models import MaintenanceWindow
from memo_coach.maintenance.scheduler.models import TaskRun
from memo_coach.observability.history.models import MetricSample
from memo_coach.observability.history.rollup import RAW

LEAD_IN = timedelta(minutes=30)  # changes shortly before an incident are often its cause
LIMIT = 200  # per kind, so a noisy window cannot make the page unbounded


def _entry(at: datetime, kind: str, message: str, actor: str = "system", public: bool = False) -> dict[str, Any]:
    return {"at": at.isoformat(), "kind": kind, "message": message, "actor": actor, "public": public}


def incident_events(session: Session, incident: Incident) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(IncidentEvent)
        .where(IncidentEvent.incident_id == incident.id)
        .order_by(IncidentEvent.at, IncidentEvent.id)
    )
    return [_entry(e.at, e.kind, e.message, e.actor, e.public) for e in rows]


def _starts(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Processes that began sampling inside the window: a replica id is host and pid, so a restart is
    a new replica's first raw sample (raw samples are kept a day, so older restarts are not seen)."""
    first = (
        select(MetricSample.replica, func.min(MetricSample.ts))
        .where(MetricSample.resolution == RAW, MetricSample.ts >= start - timedelta(minutes=1), MetricSample.ts <= end)
        .group_by(MetricSample.replica)
    )
    return [
        _entry(at, "restart", f"process {replica} started") for replica, at in session.execute(first) if at >= start
    ]


def _around(session: Session, start: datetime, end: datetime) -> list[dict[str, Any]]:
    runs = session.scalars(select(TaskRun).where(TaskRun.started_at >= start, TaskRun.started_at <= end).limit(LIMIT))
    versions = session.scalars(
        select(ConfigVersion).where(ConfigVersion.created_at >= start, ConfigVersion.created_at <= end).limit(LIMIT)
    )
    audits = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.at >= start, AuditEvent.at <= end, AuditEvent.action.not_like("incident.%"))
        .limit(LIMIT)
    )
    windows = session.scalars(
        select(MaintenanceWindow).where(MaintenanceWindow.starts_at >= start, MaintenanceWindow.starts_at <= end)
    )
    return [
        *(
            _entry(r.started_at, "task_run", f"task {r.task} {r.status} ({r.trigger})", r.actor or "scheduler")
            for r in runs
        ),
        *(_entry(v.created_at, "config_change", f"{v.name} v{v.number}: {v.reason}", v.author) for v in versions),
        *(_entry(a.at, "audit", f"{a.action} {a.target}".strip(), a.actor) for a in audits),
        *(_entry(w.starts_at, "maintenance", f"maintenance window: {w.message}", w.created_by) for w in windows),
        *_starts(session, start, end),
    ]


def assembled_timeline(session: Session, incident: Incident) -> list[dict[str, Any]]:
    end = incident.resolved_at or utcnow()
    entries = incident_events(session, incident) + _around(session, incident.opened_at - LEAD_IN, end)
    return sorted(entries, key=lambda e: e["at"])
