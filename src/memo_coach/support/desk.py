"""What the doors call: ticket actions together with their email copies and their views."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from memo_coach.auth.models import User
from memo_coach.settings import Settings
from memo_coach.support import notify, tickets
from memo_coach.support.active_config import support_config
from memo_coach.support.models import Ticket
from memo_coach.support.ticket_views import ticket_detail, ticket_summary, usernames


def submit(session: Session, settings: Settings, user: User, now: datetime, **fields: Any) -> Ticket:
    ticket = tickets.open_ticket(session, user, now=now, **fields)
    notify.new_ticket(settings, support_config(session), ticket)
    return ticket


def answer(session: Session, settings: Settings, ticket: Ticket, author: User, body: str, now: datetime) -> None:
    message = tickets.reply(session, ticket, author, body, now)
    notify.reply_posted(settings, support_config(session), ticket, message)


def summaries(session: Session, found: list[Ticket], now: datetime) -> list[dict[str, Any]]:
    config, names = support_config(session), usernames(session, found)
    return [ticket_summary(t, config, now, names) for t in found]


def detail(session: Session, ticket: Ticket, viewer: User, now: datetime) -> dict[str, Any]:
    names = usernames(session, [ticket], with_messages=True)
    return ticket_detail(ticket, support_config(session), now, names, for_support=tickets.is_support(viewer))
