"""Support reports: volume by category, time to first response and to resolution, satisfaction, top causes."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from statistics import median
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.config_store.versions import read_active
from memo_coach.support.config import SupportConfig
from memo_coach.support.models import OPEN_STATUSES, Ticket
from memo_coach.support.tickets.views import overdue


def _hours(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"median_hours": None, "max_hours": None, "count": 0}
    return {"median_hours": round(median(values), 2), "max_hours": round(max(values), 2), "count": len(values)}


def ticket_report(session: Session, start: datetime, end: datetime, now: datetime) -> dict[str, Any]:
    """Tickets opened in [start, end), plus every ticket still open and overdue now."""
    config = read_active(session, SupportConfig)
    opened = list(session.scalars(select(Ticket).where(Ticket.created_at >= start, Ticket.created_at < end)))
    still_open = list(session.scalars(select(Ticket).where(Ticket.status.in_(OPEN_STATUSES))))
    responded = [(t.first_response_at - t.created_at).total_seconds() / 3600 for t in opened if t.first_response_at]
    resolved = [(t.resolved_at - t.created_at).total_seconds() / 3600 for t in opened if t.resolved_at]
    ratings = [t.satisfaction for t in opened if t.satisfaction is not None]
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "opened": len(opened),
        "by_category": dict(Counter(t.category for t in opened).most_common()),
        "by_priority": dict(Counter(t.priority for t in opened).most_common()),
        "first_response": _hours(responded),
        "resolution": _hours(resolved),
        "satisfaction": {
            "ratings": len(ratings),
            "mean": round(sum(ratings) / len(ratings), 2) if ratings else None,
            "satisfied_share": round(sum(r >= 4 for r in ratings) / len(ratings), 3) if ratings else None,
        },
        "top_causes": Counter(t.matched_rule or "untriaged" for t in opened).most_common(5),
        "open_now": len(still_open),
        "overdue_now": [t.id for t in still_open if overdue(t, config, now)],
    }
