"""The incident lifecycle: open (deduplicated), acknowledge, investigate, mitigate, resolve, escalate.

Every change is an `IncidentEvent`. Only updates an operator writes for writers are marked public: the
lifecycle's own events carry operators' words (titles, alert summaries) and stay internal, the status
page saying each step in its own plain words. Notifications
are queued here (rows) and delivered by `notify.deliver_due`, so a slow channel never holds a
transaction open.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.db.base import utcnow
from memo_coach.errors import Conflict, InvalidInput, NotFound
from memo_coach.incidents.config import SEVERITIES, MonitoringConfig
from memo_coach.incidents.models import (
    ACKNOWLEDGED,
    INTERNAL,
    INVESTIGATING,
    LIFECYCLE,
    MITIGATED,
    OPEN_STATES,
    PUBLIC,
    RESOLVED,
    REVIEWED,
    TRIGGERED,
    VISIBILITIES,
    Incident,
    IncidentEvent,
)
from memo_coach.incidents.notify import enqueue

MAX_NOTE = 2000


def get_incident(session: Session, incident_id: int) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(f"no incident {incident_id}")
    return incident


def open_by_key(session: Session, key: str) -> Incident | None:
    query = select(Incident).where(Incident.dedup_key == key, Incident.status.in_(OPEN_STATES))
    return session.scalars(query.order_by(Incident.id.desc()).limit(1)).first()


def add_event(
    session: Session,
    incident: Incident,
    kind: str,
    message: str,
    *,
    actor: str = "system",
    public: bool = False,
    at: datetime | None = None,
    details: dict | None = None,
) -> IncidentEvent:
    event = IncidentEvent(
        incident_id=incident.id,
        at=at or utcnow(),
        kind=kind,
        actor=actor,
        message=message[:MAX_NOTE],
        public=public,
        details=details or {},
    )
    session.add(event)
    session.flush()
    return event


def open_incident(
    session: Session,
    config: MonitoringConfig,
    *,
    title: str,
    severity: str,
    source: str,
    actor: str = "system",
    dedup_key: str = "",
    component: str = "service",
    visibility: str = INTERNAL,
    public_title: str = "",
    auto_resolve: bool = True,
    cause: str = "",
    now: datetime | None = None,
) -> Incident:
    if severity not in SEVERITIES:
        raise InvalidInput(f"severity must be one of {', '.join(SEVERITIES)}", field="severity")
    if not title.strip():
        raise InvalidInput("an incident needs a title", field="title")
    public_title = _checked_public_title(visibility, public_title)
    now = now or utcnow()
    incident = Incident(
        title=title.strip()[:200],
        severity=severity,
        status=TRIGGERED,
        source=source,
        dedup_key=dedup_key,
        component=component,
        visibility=visibility,
        public_title=public_title,
        auto_resolve=auto_resolve,
        cause=cause[:120],
        opened_at=now,
    )
    session.add(incident)
    session.flush()
    add_event(session, incident, TRIGGERED, f"{severity}: {incident.title}", actor=actor, at=now)
    audit.record(session, actor, "incident.opened", f"incident {incident.id}", {"severity": severity})
    enqueue(session, config, incident, "opened", now)
    return incident


def _checked_public_title(visibility: str, public_title: str) -> str:
    if visibility not in VISIBILITIES:
        raise InvalidInput(f"visibility must be one of {', '.join(VISIBILITIES)}", field="visibility")
    public_title = public_title.strip()
    if len(public_title) > 200:
        raise InvalidInput("a public title holds at most 200 characters", field="public_title")
    if visibility == PUBLIC and not public_title:
        raise InvalidInput(
            "a public incident needs a public title written for writers (the title is for operators)",
            field="public_title",
            code="public_title_required",
        )
    return public_title


def set_visibility(session: Session, incident: Incident, visibility: str, public_title: str, actor: str) -> Incident:
    """Shows the incident to writers (status page, feed, banner) under `public_title`, or hides it again."""
    public_title = _checked_public_title(visibility, public_title) or incident.public_title
    if (visibility, public_title) != (incident.visibility, incident.public_title):
        incident.visibility, incident.public_title = visibility, public_title
        add_event(session, incident, "visibility", f"{visibility}: {public_title}", actor=actor)
        audit.record(session, actor, "incident.visibility", f"incident {incident.id}", {"visibility": visibility})
    return incident


def _require_open(incident: Incident) -> None:
    if incident.status not in OPEN_STATES:
        raise Conflict(f"incident {incident.id} is {incident.status}", code="incident_closed")


def acknowledge(session: Session, incident: Incident, actor: str, now: datetime | None = None) -> Incident:
    _require_open(incident)
    if incident.acknowledged_at is None:
        now = now or utcnow()
        incident.acknowledged_at = now
        incident.status = ACKNOWLEDGED if incident.status == TRIGGERED else incident.status
        add_event(session, incident, ACKNOWLEDGED, f"acknowledged by {actor}", actor=actor, at=now)
    return incident


def set_status(
    session: Session, incident: Incident, status: str, actor: str, message: str = "", now: datetime | None = None
) -> Incident:
    """Moves forward through investigating and mitigated; resolving and reviewing have their own steps."""
    if status not in (INVESTIGATING, MITIGATED):
        raise InvalidInput("status must be investigating or mitigated here", field="status")
    _require_open(incident)
    now = now or utcnow()
    if incident.acknowledged_at is None:
        acknowledge(session, incident, actor, now)
    if LIFECYCLE.index(status) < LIFECYCLE.index(incident.status):
        raise Conflict(f"incident {incident.id} is already {incident.status}", code="lifecycle_order")
    incident.status = status
    add_event(session, incident, status, message or status, actor=actor, at=now)
    return incident


def add_note(session: Session, incident: Incident, actor: str, message: str, public: bool = False) -> IncidentEvent:
    """An internal note, or (public) an update writers see on the status page."""
    if not message.strip():
        raise InvalidInput("a note needs text", field="message")
    if len(message) > MAX_NOTE:
        raise InvalidInput(f"a note holds at most {MAX_NOTE} characters", field="message")
    kind = "update" if public else "note"
    return add_event(session, incident, kind, message.strip(), actor=actor, public=public)


def change_severity(
    session: Session, config: MonitoringConfig, incident: Incident, severity: str, actor: str, reason: str
) -> Incident:
    if severity not in SEVERITIES:
        raise InvalidInput(f"severity must be one of {', '.join(SEVERITIES)}", field="severity")
    if not reason.strip():
        raise InvalidInput("say why the severity changes", field="reason", code="missing_reason")
    _require_open(incident)
    if severity != incident.severity:
        message = f"severity {incident.severity} -> {severity}: {reason.strip()}"
        incident.severity = severity
        add_event(session, incident, "severity", message, actor=actor)
        audit.record(session, actor, "incident.severity", f"incident {incident.id}", {"severity": severity})
    return incident


def resolve(
    session: Session,
    config: MonitoringConfig,
    incident: Incident,
    actor: str,
    message: str = "",
    now: datetime | None = None,
) -> Incident:
    _require_open(incident)
    now = now or utcnow()
    incident.status = RESOLVED
    incident.resolved_at = now
    add_event(session, incident, RESOLVED, message or "resolved", actor=actor, at=now)
    enqueue(session, config, incident, "resolved", now)
    return incident


def mark_reviewed(session: Session, incident: Incident, actor: str) -> Incident:
    """P1 and P2 need a review with a root cause first; the others may be closed as they are."""
    from memo_coach.incidents.reviews import review_is_complete

    if incident.status != RESOLVED:
        raise Conflict(f"incident {incident.id} is {incident.status}; resolve it first", code="not_resolved")
    if incident.severity in ("P1", "P2") and not review_is_complete(session, incident):
        raise Conflict("a P1 or P2 needs its review (root cause) before it is reviewed", code="review_required")
    incident.status = REVIEWED
    incident.reviewed_at = utcnow()
    add_event(session, incident, REVIEWED, f"reviewed by {actor}", actor=actor)
    return incident


def escalate_overdue(session: Session, config: MonitoringConfig, now: datetime) -> list[Incident]:
    """Incidents nobody acknowledged within their severity's response target, escalated once each."""
    waiting = session.scalars(
        select(Incident).where(Incident.status == TRIGGERED, Incident.escalated_at.is_(None))
    ).all()
    escalated = []
    for incident in waiting:
        target = timedelta(minutes=config.response_minutes[incident.severity])  # type: ignore[index]
        if now - incident.opened_at >= target:
            incident.escalated_at = now
            minutes = target.total_seconds() / 60
            add_event(session, incident, "escalated", f"not acknowledged within {minutes:g} minutes", at=now)
            enqueue(session, config, incident, "escalated", now)
            escalated.append(incident)
    return escalated
