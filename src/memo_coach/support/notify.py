"""Email copies of ticket events: support hears of new tickets and writers' replies, writers of answers."""

from __future__ import annotations

from memo_coach.settings import Settings
from memo_coach.support.config import SupportConfig
from memo_coach.support.mailer import send_email
from memo_coach.support.models import WRITER_SIDE, Ticket, TicketMessage

TICKET_PATH = "/support/tickets/{id}"


def _subject(ticket: Ticket) -> str:
    return f"[Memo AI Coach support #{ticket.id}] {ticket.summary[:120]}"


def new_ticket(settings: Settings, config: SupportConfig, ticket: Ticket) -> bool:
    body = (
        f"New {ticket.priority} ticket #{ticket.id} ({ticket.category}, cause: {ticket.matched_rule or 'untriaged'}).\n\n"
        f"{ticket.description}\n\nAnswer it at {TICKET_PATH.format(id=ticket.id)}\n"
    )
    return send_email(settings, config.email.from_address, config.email.support_address or "", _subject(ticket), body)


def reply_posted(settings: Settings, config: SupportConfig, ticket: Ticket, message: TicketMessage) -> bool:
    """Support's reply goes to the writer's contact address; a writer's reply to the support address."""
    to = config.email.support_address if message.side == WRITER_SIDE else ticket.contact_email
    body = f"{message.body}\n\nThe whole conversation: {TICKET_PATH.format(id=ticket.id)} (under My tickets)\n"
    return send_email(settings, config.email.from_address, to or "", _subject(ticket), body)
