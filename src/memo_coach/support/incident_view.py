"""The one seam between support and incident tracking.

Support needs three things from incidents: the open ones (to link a ticket about the same component
and answer with the public status; for the doctor), those of a period (monthly review) and the action
items from incident reviews (process review). The assembly provides an `IncidentView`; until incident
tracking is wired in, `NoIncidentTracking` answers "none" and says why.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class IncidentSummary:
    ref: str  # the incident's id as the incidents package names it
    title: str
    component: str
    status: str  # open states as incidents names them; resolved incidents have resolved_at
    public_status: str  # what a writer may be told, e.g. "Evaluations fall back to the offline analyzer"
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
    source: str  # "incident 12", "ticket 40"
    due_at: datetime | None
    done_at: datetime | None


class IncidentView(Protocol):
    available: bool
    reason: str

    def open_incidents(self, session: Session) -> list[IncidentSummary]: ...

    def incidents_between(self, session: Session, start: datetime, end: datetime) -> list[IncidentSummary]: ...

    def action_items(self, session: Session) -> list[ActionItem]: ...


class NoIncidentTracking:
    """Incident tracking is not wired in: no incidents, and every report says so."""

    available = False
    reason = "incident tracking is not installed in this build"

    def open_incidents(self, session: Session) -> list[IncidentSummary]:
        return []

    def incidents_between(self, session: Session, start: datetime, end: datetime) -> list[IncidentSummary]:
        return []

    def action_items(self, session: Session) -> list[ActionItem]:
        return []


NO_INCIDENT_TRACKING = NoIncidentTracking()
_provided: IncidentView = NO_INCIDENT_TRACKING


def provide(view: IncidentView) -> None:
    """Called by the assembly (and by tests with a fake)."""
    global _provided
    _provided = view


def incidents() -> IncidentView:
    return _provided


def open_incident_for(session: Session, component: str | None) -> IncidentSummary | None:
    if not component:
        return None
    return next((i for i in incidents().open_incidents(session) if i.component == component), None)
