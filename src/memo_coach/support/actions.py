"""Follow-up actions from tickets and reviews ("document the 429 fix"); the monthly process review counts them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.errors import Conflict, InvalidInput, NotFound
from memo_coach.support.models import SupportAction, Ticket


def add_action(
    session: Session,
    title: str,
    created_by: str,
    now: datetime,
    ticket_id: int | None = None,
    due_at: datetime | None = None,
) -> SupportAction:
    title = (title or "").strip()
    if not 1 <= len(title) <= 300:
        raise InvalidInput("an action needs a title of at most 300 characters", field="title")
    if ticket_id is not None and session.get(Ticket, ticket_id) is None:
        raise NotFound(f"no ticket {ticket_id}", field="ticket_id")
    action = SupportAction(title=title, created_by=created_by, created_at=now, ticket_id=ticket_id, due_at=due_at)
    session.add(action)
    session.flush()
    return action


def complete_action(session: Session, action_id: int, now: datetime) -> SupportAction:
    action = session.get(SupportAction, action_id)
    if action is None:
        raise NotFound(f"no action {action_id}")
    if action.done_at is not None:
        raise Conflict(f"action {action_id} was done on {action.done_at:%Y-%m-%d}")
    action.done_at = now
    return action


def list_actions(session: Session, *, open_only: bool = True) -> list[SupportAction]:
    query = select(SupportAction).order_by(SupportAction.due_at.is_(None), SupportAction.due_at, SupportAction.id)
    if open_only:
        query = query.where(SupportAction.done_at.is_(None))
    return list(session.scalars(query))
