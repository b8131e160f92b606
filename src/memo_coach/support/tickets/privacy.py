"""A writer's tickets in their data export, and what their erasure leaves of them.

An erased writer's tickets stay as rows so that support's reports (volume, response times,
satisfaction, causes) still count them, but keep nothing the writer wrote or that names them: the
summary, description, attached memo, context (page, request ids, browser), contact address and
satisfaction comment are cleared, and every message on them goes, support's answers included (they
quote the writer and address them by name).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from memo_coach.security.privacy import PersonalData, register_personal_data
from memo_coach.support.models import Ticket, TicketMessage

ERASED = "[erased]"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_tickets(session: Session, user_id: int) -> list[dict[str, Any]]:
    tickets = session.scalars(
        select(Ticket).where(Ticket.user_id == user_id).order_by(Ticket.id).options(selectinload(Ticket.messages))
    )
    return [
        {
            "id": t.id,
            "category": t.category,
            "status": t.status,
            "summary": t.summary,
            "description": t.description,
            "context": t.context,
            "memo_text": t.memo_text,
            "contact_email": t.contact_email,
            "created_at": _iso(t.created_at),
            "resolved_at": _iso(t.resolved_at),
            "satisfaction": t.satisfaction,
            "satisfaction_comment": t.satisfaction_comment,
            "messages": [{"side": m.side, "body": m.body, "at": _iso(m.created_at)} for m in t.messages],
        }
        for t in tickets
    ]


def erase_tickets(session: Session, user_id: int) -> dict[str, int]:
    theirs = select(Ticket.id).where(Ticket.user_id == user_id)
    messages = session.execute(delete(TicketMessage).where(TicketMessage.ticket_id.in_(theirs))).rowcount or 0
    cleared = session.execute(
        update(Ticket)
        .where(Ticket.user_id == user_id)
        .values(
            summary=ERASED,
            description=ERASED,
            memo_text=None,
            context={},
            contact_email=None,
            satisfaction_comment=None,
        )
        .execution_options(synchronize_session="fetch")
    )
    return {"support_tickets_cleared": cleared.rowcount or 0, TicketMessage.__tablename__: messages}


def register() -> None:
    register_personal_data(PersonalData("support_tickets", export_tickets, erase_tickets))
