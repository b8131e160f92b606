"""The public status: components, public incidents with their public updates, the last 90 days.

Public and internal are kept apart here: an incident reaches these views only when it is public, and
then only with its public title, its plain state and its public updates; operators' titles, alert
summaries, notes, severities, sources and escalation times never leave the console.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from memo_coach.db.base import utcnow
from memo_coach.incidents.models import (
    ACKNOWLEDGED,
    INVESTIGATING,
    MITIGATED,
    OPEN_STATES,
    PUBLIC,
    RESOLVED,
    REVIEWED,
    TRIGGERED,
    Incident,
    IncidentEvent,
)
from memo_coach.incidents.sources import HEALTH_SERIES
from memo_coach.maintenance.mode.models import MaintenanceWindow
from memo_coach.maintenance.mode.service import maintenance_state, upcoming_windows
from memo_coach.observability.history.rollup import RAW
from memo_coach.observability.history.series import series

DAYS = 90
FRESH = timedelta(minutes=2)  # older health samples say nothing about now
# Public components and the health checks behind them.
COMPONENTS = {
    "website": ("database", "disk", "config"),
    "evaluations": ("llm",),
    "background jobs": ("scheduler", "backups"),
}
OPERATIONAL, DEGRADED, OUTAGE, MAINTENANCE = "operational", "degraded", "outage", "maintenance"
RANK = {OPERATIONAL: 0, MAINTENANCE: 1, DEGRADED: 2, OUTAGE: 3}
# The lifecycle as writers read it: where the work stands, not the operators' steps.
PLAIN_STATUS = {
    TRIGGERED: "Investigating",
    ACKNOWLEDGED: "Investigating",
    INVESTIGATING: "Investigating",
    MITIGATED: "Monitoring",
    RESOLVED: "Resolved",
    REVIEWED: "Resolved",
}
# Each step's own line on the status page, so a step never shows an operator's words.
STEP_MESSAGES = {
    TRIGGERED: "We are aware of a problem and are looking into it.",
    INVESTIGATING: "We are working on it.",
    MITIGATED: "A fix is in place and we are watching the results.",
    RESOLVED: "This is resolved.",
}
STATE_LABELS = {
    OPERATIONAL: "Operational",
    MAINTENANCE: "Under maintenance",
    DEGRADED: "Degraded performance",
    OUTAGE: "Major outage",
}
# An incident's impact in plain words, by its severity (severities themselves are operators' jargon).
IMPACT = {"P1": "Major outage", "P2": "Partial outage", "P3": "Degraded performance", "P4": "Degraded performance"}
# The events writers may read: updates written for them, and the lifecycle steps (in the words above).
PUBLIC_EVENT = or_(IncidentEvent.public.is_(True), IncidentEvent.kind.in_(tuple(STEP_MESSAGES)))


def _public_updates(session: Session, incident: Incident) -> list[dict[str, Any]]:
    """Updates written for writers (public notes), and each step of the lifecycle in plain words."""
    rows = session.scalars(
        select(IncidentEvent)
        .where(IncidentEvent.incident_id == incident.id, PUBLIC_EVENT)
        .order_by(IncidentEvent.at, IncidentEvent.id)
    )
    return [public_update(e) for e in rows]


def public_update(event: IncidentEvent) -> dict[str, Any]:
    message = event.message if event.public else STEP_MESSAGES[event.kind]
    return {"at": event.at.isoformat(), "status": PLAIN_STATUS.get(event.kind, "Update"), "message": message}


def public_incident_view(session: Session, incident: Incident) -> dict[str, Any]:
    """A public incident as anyone may read it: its public title, plain state and public updates."""
    return {
        "id": incident.id,
        "title": incident.public_title,
        "status": PLAIN_STATUS[incident.status],
        "impact": IMPACT.get(incident.severity, STATE_LABELS[DEGRADED]),
        "component": incident.component,
        "started_at": incident.opened_at.isoformat(),
        "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
        "updates": _public_updates(session, incident),
    }


def incident_view(incident: Incident) -> dict[str, Any]:
    """Everything about an incident, for operators (console, API, command line)."""
    return {
        "id": incident.id,
        "title": incident.title,
        "severity": incident.severity,
        "status": incident.status,
        "component": incident.component,
        "source": incident.source,
        "visibility": incident.visibility,
        "public_title": incident.public_title,
        "opened_at": incident.opened_at.isoformat(),
        "acknowledged_at": incident.acknowledged_at.isoformat() if incident.acknowledged_at else None,
        "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
        "escalated_at": incident.escalated_at.isoformat() if incident.escalated_at else None,
    }


def _health_state(session: Session, checks: tuple[str, ...], now: datetime) -> str:
    worst = 0
    for check in checks:
        points = series(session, HEALTH_SERIES, now - FRESH, now + timedelta(seconds=1), RAW, check)
        if points:
            worst = max(worst, round(points[-1][1]))
    return {0: OPERATIONAL, 1: DEGRADED}.get(worst, OUTAGE)


def _incident_state(incident: Incident) -> str:
    return OUTAGE if incident.severity == "P1" else DEGRADED


def _components(session: Session, active: list[Incident], now: datetime) -> list[dict[str, Any]]:
    in_maintenance = maintenance_state(session, now).active
    result = []
    for name, checks in COMPONENTS.items():
        state = MAINTENANCE if in_maintenance else _health_state(session, checks, now)
        for incident in active:
            if incident.component == name:
                state = max(state, _incident_state(incident), key=RANK.__getitem__)
        result.append({"name": name, "state": state})
    return result


def _uptime(incidents: list[Incident], today: datetime) -> list[dict[str, Any]]:
    """Per day of the last 90: the share of the day without an open P1 or P2 incident."""
    down: dict[int, float] = defaultdict(float)
    start = today - timedelta(days=DAYS - 1)
    for i in incidents:
        if i.severity not in ("P1", "P2"):
            continue
        begin, end = max(i.opened_at, start), min(i.resolved_at or utcnow(), today + timedelta(days=1))
        while begin < end:
            day_end = datetime.combine(begin.date() + timedelta(days=1), datetime.min.time(), UTC)
            down[(begin.date() - start.date()).days] += (min(end, day_end) - begin).total_seconds()
            begin = day_end
    return [
        {"day": (start + timedelta(days=d)).date().isoformat(), "uptime": round(max(0.0, 1 - down[d] / 86400), 5)}
        for d in range(DAYS)
    ]


def public_status(session: Session, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    today = datetime.combine(now.date(), datetime.min.time(), UTC)
    since = today - timedelta(days=DAYS - 1)
    recent = session.scalars(
        select(Incident)
        .where(Incident.visibility == PUBLIC, or_(Incident.status.in_(OPEN_STATES), Incident.opened_at >= since))
        .order_by(Incident.opened_at.desc())
    ).all()
    active = [i for i in recent if i.status in OPEN_STATES]
    components = _components(session, active, now)
    past: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i in recent:
        if i.status not in OPEN_STATES:
            past[i.opened_at.date().isoformat()].append(public_incident_view(session, i))
    # An incident on no listed component (e.g. "service") still says the service is not fully well.
    states = [c["state"] for c in components] + [_incident_state(i) for i in active]
    return {
        "status": max(states, key=RANK.__getitem__, default=OPERATIONAL),
        "checked_at": now.isoformat(),
        "components": components,
        "active_incidents": [public_incident_view(session, i) for i in active],
        "past_incidents": [{"day": day, "incidents": items} for day, items in sorted(past.items(), reverse=True)],
        "upcoming_maintenance": [_public_window(w) for w in upcoming_windows(session, now)],
        "uptime": _uptime(list(recent), today),
    }


def _public_window(window: MaintenanceWindow) -> dict[str, Any]:
    """A planned window without the operator who planned it."""
    ends = window.ends_at.isoformat() if window.ends_at else None
    return {"starts_at": window.starts_at.isoformat(), "ends_at": ends, "message": window.message}


def public_feed(session: Session, limit: int) -> list[dict[str, Any]]:
    """The newest public updates of public incidents, for the Atom feed."""
    rows = session.execute(
        select(IncidentEvent, Incident)
        .join(Incident, Incident.id == IncidentEvent.incident_id)
        .where(Incident.visibility == PUBLIC, PUBLIC_EVENT)
        .order_by(IncidentEvent.at.desc(), IncidentEvent.id.desc())
        .limit(limit)
    ).all()
    return [dict(public_update(e), id=e.id, title=i.public_title) for e, i in rows]


def writer_banner(session: Session) -> dict[str, Any] | None:
    """The gravest open public incident, for the banner on every page; None when all is well."""
    query = (
        select(Incident)
        .where(Incident.status.in_(OPEN_STATES), Incident.visibility == PUBLIC)
        .order_by(Incident.severity, Incident.opened_at)
        .limit(1)
    )
    incident = session.scalars(query).first()
    return {"title": incident.public_title, "status": PLAIN_STATUS[incident.status]} if incident else None
