"""Support tickets: opened by writers with their context, triaged by rules, answered both ways.

Every status change is also a system message on the ticket, so its page tells the whole story.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.auth.models import User
from memo_coach.auth.roles import Role
from memo_coach.coaching.models import Evaluation
from memo_coach.config_store.versions import read_active
from memo_coach.errors import Conflict, Forbidden, InvalidInput, NotFound
from memo_coach.support.config import SupportConfig
from memo_coach.support.incident_summaries import open_incident_for
from memo_coach.support.models import (
    CATEGORIES,
    CLOSED,
    MAX_DESCRIPTION_CHARS,
    MAX_SUMMARY_CHARS,
    NEW,
    OPEN_STATUSES,
    RESOLVED,
    STATUSES,
    SUPPORT_SIDE,
    SYSTEM_SIDE,
    TRIAGED,
    WAITING,
    WRITER_SIDE,
    Ticket,
    TicketMessage,
)
from memo_coach.support.tickets.triage import triage

# No space or control character anywhere: the address becomes an email header (a line break there
# would start a header of the sender's choosing).
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]{1,190}\.[^@\s\x00-\x1f\x7f]{2,}$")


def is_support(user: User) -> bool:
    return Role(user.role).includes(Role.support)


def _clean(text: str, limit: int, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"the {field} is empty", field=field)
    if len(text) > limit:
        raise InvalidInput(f"the {field} is longer than {limit:,} characters", field=field)
    return text


def _memo_text(session: Session, user: User, context: dict) -> str:
    evaluation = session.get(Evaluation, context.get("evaluation_id") or 0)
    if evaluation is None or evaluation.user_id != user.id:
        raise InvalidInput("there is no evaluation of yours to attach the memo from", field="include_memo")
    return evaluation.text_content


def open_ticket(
    session: Session,
    user: User,
    category: str,
    summary: str,
    description: str,
    context: dict,
    now: datetime,
    include_memo: bool = False,
    contact_email: str | None = None,
) -> Ticket:
    """Stores the ticket, triages it by the active rules and links an open incident on its component."""
    if category not in CATEGORIES:
        raise InvalidInput(f"unknown category {category!r}; use one of {', '.join(CATEGORIES)}", field="category")
    summary = _clean(summary, MAX_SUMMARY_CHARS, "summary")
    description = _clean(description, MAX_DESCRIPTION_CHARS, "description")
    contact_email = (contact_email or "").strip() or None
    if contact_email and not EMAIL.match(contact_email):
        raise InvalidInput("that email address does not look right", field="contact_email")
    result = triage(read_active(session, SupportConfig), category, summary, description, context)
    ticket = Ticket(
        user_id=user.id,
        category=result.category,
        priority=result.priority,
        status=TRIAGED if result.rule else NEW,
        summary=summary,
        description=description,
        context=context,
        memo_text=_memo_text(session, user, context) if include_memo else None,
        contact_email=contact_email,
        matched_rule=result.rule,
        component=result.component,
        created_at=now,
        updated_at=now,
    )
    session.add(ticket)
    session.flush()
    _link_incident(session, ticket, now)
    return ticket


def _link_incident(session: Session, ticket: Ticket, now: datetime) -> None:
    incident = open_incident_for(session, ticket.component)
    if incident is None:
        return
    ticket.incident_ref = incident.ref
    _note(
        session,
        ticket,
        f"This looks related to a known problem we are working on: {incident.public_title}. "
        f"Current status: {incident.public_status}",
        now,
    )


def _note(session: Session, ticket: Ticket, body: str, now: datetime, author: User | None = None) -> None:
    side = SYSTEM_SIDE if author is None else (WRITER_SIDE if author.id == ticket.user_id else SUPPORT_SIDE)
    session.add(
        TicketMessage(ticket=ticket, author_id=author.id if author else None, side=side, body=body, created_at=now)
    )
    ticket.updated_at = now


def get_ticket(session: Session, ticket_id: int, viewer: User) -> Ticket:
    """The ticket when `viewer` owns it or works in support; otherwise it does not exist for them."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or (ticket.user_id != viewer.id and not is_support(viewer)):
        raise NotFound(f"no ticket {ticket_id}")
    return ticket


def list_tickets(
    session: Session, viewer: User, *, mine: bool = False, status: str | None = None, limit: int = 200
) -> list[Ticket]:
    query = select(Ticket).order_by(Ticket.id.desc()).limit(limit)
    if mine or not is_support(viewer):
        query = query.where(Ticket.user_id == viewer.id)
    if status == "open":
        query = query.where(Ticket.status.in_(OPEN_STATUSES))
    elif status:
        if status not in STATUSES:
            raise InvalidInput(f"unknown status {status!r}; use open or one of {', '.join(STATUSES)}", field="status")
        query = query.where(Ticket.status == status)
    return list(session.scalars(query))


def reply(session: Session, ticket: Ticket, author: User, body: str, now: datetime) -> TicketMessage:
    """A writer's reply reopens the ticket for support; support's first reply stops the first-response clock."""
    body = _clean(body, MAX_DESCRIPTION_CHARS, "reply")
    if ticket.status == CLOSED:
        raise Conflict(f"ticket {ticket.id} is closed; open a new one")
    if author.id == ticket.user_id:
        side = WRITER_SIDE
        if ticket.status in (WAITING, RESOLVED):
            ticket.status, ticket.resolved_at = TRIAGED, None
    elif is_support(author):
        side = SUPPORT_SIDE
        ticket.first_response_at = ticket.first_response_at or now
        if ticket.status in (NEW, TRIAGED):
            ticket.status = WAITING
    else:
        raise Forbidden("only the writer and support may reply to a ticket")
    message = TicketMessage(ticket=ticket, author_id=author.id, side=side, body=body, created_at=now)
    session.add(message)
    ticket.updated_at = now
    session.flush()
    return message


def assign(session: Session, ticket: Ticket, assignee: User, actor: User, now: datetime) -> None:
    if not is_support(assignee) or not assignee.is_active:
        raise InvalidInput(f"{assignee.username} is not an active support account", field="assignee")
    ticket.assignee_id = assignee.id
    if ticket.status == NEW:
        ticket.status = TRIAGED
    _note(session, ticket, f"Assigned to {assignee.username} by {actor.username}.", now)


def set_status(session: Session, ticket: Ticket, status: str, actor: User, now: datetime) -> None:
    """Support moves a ticket between statuses; resolving and closing stamp their times."""
    if status not in STATUSES:
        raise InvalidInput(f"unknown status {status!r}; use one of {', '.join(STATUSES)}", field="status")
    if not is_support(actor) and not (actor.id == ticket.user_id and status == CLOSED):
        raise Forbidden("only support changes a ticket's status (a writer may close their own)")
    ticket.status = status
    if status in (RESOLVED, CLOSED):
        ticket.resolved_at = ticket.resolved_at or now
    else:
        ticket.resolved_at = None
    ticket.closed_at = now if status == CLOSED else None
    _note(session, ticket, f"Status changed to {status.replace('_', ' ')} by {actor.username}.", now)


def rate(session: Session, ticket: Ticket, user: User, score: int, comment: str, now: datetime) -> None:
    """The satisfaction question, asked once the ticket is resolved; the writer may change their answer."""
    if user.id != ticket.user_id:
        raise Forbidden("only the writer who opened the ticket rates it")
    if ticket.status not in (RESOLVED, CLOSED):
        raise Conflict("a ticket is rated once it is resolved")
    if not 1 <= score <= 5:
        raise InvalidInput("rate from 1 (poor) to 5 (excellent)", field="satisfaction")
    ticket.satisfaction = score
    ticket.satisfaction_comment = (comment or "").strip()[:1000] or None
    ticket.updated_at = now


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no account {username!r}", field="assignee")
    return user
