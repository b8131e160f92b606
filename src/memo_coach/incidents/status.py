"""The public status: components, active incidents with their public updates, the last 90 days.

Only public events leave this module (internal notes stay on the console).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from memo_coach.db.base import utcnow
from memo_coach.incidents.models import OPEN_STATES, Incident, IncidentEvent
from memo_coach.incidents.sources import HEALTH_SERIES
from memo_coach.maintenance.mode.service import maintenance_state, upcoming_windows, window_view
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


def _public_updates(session: Session, incident: Incident) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(IncidentEvent)
        .where(IncidentEvent.incident_id == incident.id, IncidentEvent.public.is_(True))
        .order_by(IncidentEvent.at, IncidentEvent.id)
    )
    return [{"at": e.at.isoformat(), "status": e.kind, "message": e.message} for e in rows]


def incident_view(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "title": incident.title,
        "severity": incident.severity,
        "status": incident.status,
        "component": incident.component,
        "source": incident.source,
        "affects_writers": incident.affects_writers,
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
        .where(or_(Incident.status.in_(OPEN_STATES), Incident.opened_at >= since))
        .order_by(Incident.opened_at.desc())
    ).all()
    active = [i for i in recent if i.status in OPEN_STATES]
    components = _components(session, active, now)
    past: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i in recent:
        if i.status not in OPEN_STATES:
            past[i.opened_at.date().isoformat()].append(
                {"id": i.id, "title": i.title, "severity": i.severity, "updates": _public_updates(session, i)}
            )
    # An incident on no listed component (e.g. "service") still says the service is not fully well.
    states = [c["state"] for c in components] + [_incident_state(i) for i in active]
    return {
        "status": max(states, key=RANK.__getitem__, default=OPERATIONAL),
        "checked_at": now.isoformat(),
        "components": components,
        "active_incidents": [dict(incident_view(i), updates=_public_updates(session, i)) for i in active],
        "past_incidents": [{"day": day, "incidents": items} for day, items in sorted(past.items(), reverse=True)],
        "upcoming_maintenance": [window_view(w) for w in upcoming_windows(session, now)],
        "uptime": _uptime(list(recent), today),
    }


def writer_banner(session: Session) -> dict[str, Any] | None:
    """The gravest open incident that affects writers, for the banner on every page; None when all is well."""
    query = (
        select(Incident)
        .where(Incident.status.in_(OPEN_STATES), Incident.affects_writers.is_(True))
        .order_by(Incident.severity, Incident.opened_at)
        .limit(1)
    )
    incident = session.scalars(query).first()
    return incident_view(incident) if incident else None
