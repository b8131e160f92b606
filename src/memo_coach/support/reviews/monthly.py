"""Monthly reviews: the comprehensive system review with capacity, and the process-improvement review."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.observability.feedback.ratings import satisfaction
from memo_coach.observability.history.capacity import capacity_report
from memo_coach.observability.history.series import mean, series
from memo_coach.support.incident_summaries import action_items, incidents_between
from memo_coach.support.models import SupportAction
from memo_coach.support.tickets.reports import ticket_report

MONTH = timedelta(days=30)
HOURLY = 3600


def service_levels(session: Session, now: datetime) -> dict[str, Any]:
    """The month's means from the hourly tier: availability (1 - 5xx rate), p95 latency, LLM availability."""

    def monthly(name: str) -> float | None:
        return mean(series(session, name, now - MONTH, now, HOURLY)) or mean(
            series(session, name, now - MONTH, now, 300)
        )

    error_rate = monthly("error_rate")
    return {
        "availability": round(1 - error_rate, 5) if error_rate is not None else None,
        "latency_p95_s": monthly("latency_p95_s"),
        "llm_availability": monthly("llm_availability"),
        "evaluation_p95_s": monthly("evaluation_p95_s"),
    }


def system_review(session: Session, now: datetime, doctor: dict[str, Any]) -> dict[str, Any]:
    """One report: health (the doctor), incidents, service levels, capacity, tickets and satisfaction."""
    month = incidents_between(session, now - MONTH, now)
    return {
        "from": (now - MONTH).isoformat(),
        "to": now.isoformat(),
        "health": {
            "status": doctor["status"],
            "problems": [
                {k: c[k] for k in ("name", "status", "summary")} for c in doctor["checks"] if c["status"] != "OK"
            ],
        },
        "incidents": {"count": len(month), "items": [i.to_dict() for i in month]},
        "service_levels": service_levels(session, now),
        "capacity": capacity_report(session, now),
        "tickets": ticket_report(session, now - MONTH, now, now),
        "evaluation_satisfaction": satisfaction(session, now, days=30),
    }


def _action_view(title: str, source: str, due_at: datetime | None, done_at: datetime | None) -> dict[str, Any]:
    return {
        "title": title,
        "source": source,
        "due_at": due_at.isoformat() if due_at else None,
        "done_at": done_at.isoformat() if done_at else None,
    }


def process_review(session: Session, now: datetime) -> dict[str, Any]:
    """Action items from incident reviews and tickets: open, done this month, overdue."""
    items = [
        (a.title, f"ticket {a.ticket_id}" if a.ticket_id else f"support ({a.created_by})", a.due_at, a.done_at)
        for a in session.scalars(select(SupportAction).order_by(SupportAction.id))
    ]
    items += [(i.title, i.source, i.due_at, i.done_at) for i in action_items(session)]
    open_items = [i for i in items if i[3] is None]
    return {
        "open": [_action_view(*i) for i in open_items],
        "done_this_month": [_action_view(*i) for i in items if i[3] is not None and i[3] >= now - MONTH],
        "overdue": [_action_view(*i) for i in open_items if i[2] is not None and i[2] < now],
    }
