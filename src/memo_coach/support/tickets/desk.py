"""What the doors call: ticket actions together with their email copies and their views."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from memo_coach.auth.models import User
from memo_coach.config_store.versions import read_active
from memo_coach.i18n import ENGLISH
from memo_coach.settings import Settings
from memo_coach.support.config import SupportConfig
from memo_coach.support.models import Ticket
from memo_coach.support.tickets import mail, service
from memo_coach.support.tickets.views import ticket_detail, ticket_summary, usernames


def submit(session: Session, settings: Settings, user: User, now: datetime, **fields: Any) -> Ticket:
    ticket = service.open_ticket(session, user, now=now, **fields)
    mail.new_ticket(settings, read_active(session, SupportConfig), ticket)
    return ticket


def answer(session: Session, settings: Settings, ticket: Ticket, author: User, body: str, now: datetime) -> None:
    message = service.reply(session, ticket, author, body, now)
    writer = session.get(User, ticket.user_id)
    language = (writer.language if writer else None) or ENGLISH  # an account that follows its browser: English
    mail.reply_posted(settings, read_active(session, SupportConfig), ticket, message, language)


def summaries(session: Session, found: list[Ticket], now: datetime) -> list[dict[str, Any]]:
    config, names = read_active(session, SupportConfig), usernames(session, found)
    return [ticket_summary(t, config, now, names) for t in found]


def detail(session: Session, ticket: Ticket, viewer: User, now: datetime) -> dict[str, Any]:
    names = usernames(session, [ticket], with_messages=True)
    return ticket_detail(
        ticket, read_active(session, SupportConfig), now, names, for_support=service.is_support(viewer)
    )
