"""How a ticket looks to the doors: its targets, what is overdue, and its conversation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.auth.models import User
from memo_coach.support.config import SupportConfig
from memo_coach.support.models import OPEN_STATUSES, Ticket


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def due_times(ticket: Ticket, config: SupportConfig) -> tuple[datetime, datetime]:
    target = config.targets[ticket.priority]
    return (
        ticket.created_at + timedelta(hours=target.first_response_hours),
        ticket.created_at + timedelta(hours=target.resolution_hours),
    )


def overdue(ticket: Ticket, config: SupportConfig, now: datetime) -> list[str]:
    """Which targets an open ticket has missed: "first_response", "resolution" or both."""
    if ticket.status not in OPEN_STATUSES:
        return []
    response_due, resolution_due = due_times(ticket, config)
    missed = []
    if ticket.first_response_at is None and now > response_due:
        missed.append("first_response")
    if now > resolution_due:
        missed.append("resolution")
    return missed


def ticket_summary(ticket: Ticket, config: SupportConfig, now: datetime, names: dict[int, str]) -> dict[str, Any]:
    response_due, resolution_due = due_times(ticket, config)
    return {
        "id": ticket.id,
        "summary": ticket.summary,
        "category": ticket.category,
        "priority": ticket.priority,
        "status": ticket.status,
        "writer": names.get(ticket.user_id),
        "assignee": names.get(ticket.assignee_id) if ticket.assignee_id else None,
        "cause": ticket.matched_rule,
        "component": ticket.component,
        "incident": ticket.incident_ref,
        "created_at": _iso(ticket.created_at),
        "updated_at": _iso(ticket.updated_at),
        "first_response_due": _iso(response_due),
        "resolution_due": _iso(resolution_due),
        "first_response_at": _iso(ticket.first_response_at),
        "resolved_at": _iso(ticket.resolved_at),
        "closed_at": _iso(ticket.closed_at),
        "overdue": overdue(ticket, config, now),
        "satisfaction": ticket.satisfaction,
    }


def ticket_detail(
    ticket: Ticket, config: SupportConfig, now: datetime, names: dict[int, str], *, for_support: bool
) -> dict[str, Any]:
    """The summary plus the conversation and context; the attached memo only for support."""
    data = ticket_summary(ticket, config, now, names)
    data.update(
        description=ticket.description,
        context=ticket.context,
        contact_email=ticket.contact_email,
        satisfaction_comment=ticket.satisfaction_comment,
        memo_attached=ticket.memo_text is not None,
        messages=[
            {
                "id": m.id,
                "side": m.side,
                "author": names.get(m.author_id) if m.author_id else None,
                "body": m.body,
                "at": _iso(m.created_at),
            }
            for m in ticket.messages
        ],
    )
    if for_support:
        data["memo_text"] = ticket.memo_text
    return data


def usernames(session: Session, tickets: list[Ticket], *, with_messages: bool = False) -> dict[int, str]:
    """Names of the writers, assignees (and, for one ticket's page, message authors) in one query."""
    ids = {t.user_id for t in tickets} | {t.assignee_id for t in tickets if t.assignee_id}
    if with_messages:
        ids |= {m.author_id for t in tickets for m in t.messages if m.author_id}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
