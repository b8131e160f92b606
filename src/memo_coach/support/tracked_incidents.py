"""Support's view of the incidents capability (the `IncidentView` of incident_view.py).

Incidents name the components of the status page (website, evaluations, background jobs); tickets
name the health checks a writer's trouble points at (llm, database, web, ...). An open incident is
offered under both names, so a ticket about the LLM finds the incident on evaluations.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from memo_coach.incidents.models import OPEN_STATES, Incident, IncidentEvent
from memo_coach.incidents.models import ActionItem as IncidentActionItem
from memo_coach.incidents.status import COMPONENTS
from memo_coach.support.incident_view import ActionItem, IncidentSummary

# Status-page component -> every name a ticket may use for it.
ALIASES = {name: (name, *checks) for name, checks in COMPONENTS.items()}
ALIASES["website"] = (*ALIASES["website"], "web")


class TrackedIncidents:
    available = True
    reason = ""

    def open_incidents(self, session: Session) -> list[IncidentSummary]:
        rows = session.scalars(select(Incident).where(Incident.status.in_(OPEN_STATES)).order_by(Incident.opened_at))
        return [s for incident in rows for s in self._summaries(session, incident)]

    def incidents_between(self, session: Session, start: datetime, end: datetime) -> list[IncidentSummary]:
        overlapping = and_(Incident.opened_at < end, or_(Incident.resolved_at.is_(None), Incident.resolved_at >= start))
        rows = session.scalars(select(Incident).where(overlapping).order_by(Incident.opened_at))
        return [self._summary(session, incident, incident.component) for incident in rows]

    def action_items(self, session: Session) -> list[ActionItem]:
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

    def _summaries(self, session: Session, incident: Incident) -> list[IncidentSummary]:
        names = ALIASES.get(incident.component, (incident.component,))
        return [self._summary(session, incident, name) for name in names]

    def _summary(self, session: Session, incident: Incident, component: str) -> IncidentSummary:
        latest = session.scalar(
            select(IncidentEvent.message)
            .where(IncidentEvent.incident_id == incident.id, IncidentEvent.public.is_(True))
            .order_by(IncidentEvent.at.desc(), IncidentEvent.id.desc())
            .limit(1)
        )
        return IncidentSummary(
            ref=str(incident.id),
            title=incident.title,
            component=component,
            status=incident.status,
            public_status=latest or incident.title,
            started_at=incident.opened_at,
            resolved_at=incident.resolved_at,
        )
