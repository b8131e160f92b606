"""Incidents in support's terms: the open ones (a ticket on the same component links one and answers
with its public status; the doctor warns of them), those of a period (the monthly review) and the action
items from incident reviews (the process review).

Support sits above incidents in the layers, so it reads their tables here, directly. Incidents name
the components of the status page (website, evaluations, background jobs); tickets name the health
checks a writer's trouble points at (llm, database, web, ...). A ticket finds an open incident under
either name, so a ticket about the LLM finds the incident on evaluations.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from memo_coach.incidents.models import OPEN_STATES, PUBLIC, RESOLVED, TRIGGERED, Incident, IncidentEvent
from memo_coach.incidents.models import ActionItem as IncidentActionItem
from memo_coach.incidents.status import COMPONENTS, PUBLIC_EVENT, STEP_MESSAGES, public_update

# Status-page component -> every name a ticket may use for it.
ALIASES = {name: (name, *checks) for name, checks in COMPONENTS.items()}
ALIASES["website"] = (*ALIASES["website"], "web")


@dataclass(frozen=True)
class IncidentSummary:
    ref: str  # the incident's id
    title: str
    component: str  # the status-page component
    status: str  # as incidents names it; resolved incidents have resolved_at
    public_title: str  # what a writer may be told it is: the public title, or for an internal one only where
    public_status: str  # what a writer may be told of it: the latest public update, or its step in plain words
    started_at: datetime | None = None
    resolved_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat() if self.started_at else None
        data["resolved_at"] = self.resolved_at.isoformat() if self.resolved_at else None
        return data


@dataclass(frozen=True)
class ActionItem:
    title: str
    source: str  # "incident 12"
    due_at: datetime | None
    done_at: datetime | None


def open_incidents(session: Session) -> list[IncidentSummary]:
    rows = session.scalars(select(Incident).where(Incident.status.in_(OPEN_STATES)).order_by(Incident.opened_at))
    return [_summary(session, incident) for incident in rows]


def open_incident_for(session: Session, component: str | None) -> IncidentSummary | None:
    """The first open incident on `component`, by its status-page name or a health check's."""
    if not component:
        return None
    return next((i for i in open_incidents(session) if component in ALIASES.get(i.component, (i.component,))), None)


def incidents_between(session: Session, start: datetime, end: datetime) -> list[IncidentSummary]:
    """Every incident open at some moment of [start, end)."""
    overlapping = and_(Incident.opened_at < end, or_(Incident.resolved_at.is_(None), Incident.resolved_at >= start))
    rows = session.scalars(select(Incident).where(overlapping).order_by(Incident.opened_at))
    return [_summary(session, incident) for incident in rows]


def action_items(session: Session) -> list[ActionItem]:
    rows = session.scalars(select(IncidentActionItem).order_by(IncidentActionItem.due))
    return [
        ActionItem(
            title=f"{item.text} (owner {item.owner})",
            source=f"incident {item.incident_id}",
            due_at=datetime.combine(item.due, time(), UTC),
            done_at=item.done_at,
        )
        for item in rows
    ]


def _step(incident: Incident) -> str:
    return STEP_MESSAGES[RESOLVED if incident.resolved_at else TRIGGERED]


def _summary(session: Session, incident: Incident) -> IncidentSummary:
    """Writers are told only what the status page would tell them (incidents/status.py): an internal
    incident's title and notes are for operators."""
    public = incident.visibility == PUBLIC
    latest = session.scalar(
        select(IncidentEvent)
        .where(IncidentEvent.incident_id == incident.id, PUBLIC_EVENT)
        .order_by(IncidentEvent.at.desc(), IncidentEvent.id.desc())
        .limit(1)
    )
    return IncidentSummary(
        ref=str(incident.id),
        title=incident.title,
        component=incident.component,
        status=incident.status,
        public_title=incident.public_title if public else f"a problem with {incident.component}",
        public_status=public_update(latest)["message"] if public and latest else _step(incident),
        started_at=incident.opened_at,
        resolved_at=incident.resolved_at,
    )
