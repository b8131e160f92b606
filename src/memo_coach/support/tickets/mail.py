"""Email copies of ticket events over SMTP, when MEMO_COACH_SMTP_HOST is set: support hears of new
tickets and writers' replies, writers of support's answers.

A failed send is logged, never raised: the ticket and its replies are stored and shown under
"My tickets" either way; the email is a courtesy copy, and a mail server that is down must not fail a reply.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from memo_coach.i18n import ENGLISH, gettext_for
from memo_coach.settings import Settings
from memo_coach.support.config import SupportConfig
from memo_coach.support.models import WRITER_SIDE, Ticket, TicketMessage
from memo_coach.support.tickets.printable import one_line

log = logging.getLogger(__name__)
SMTP_TIMEOUT_SECONDS = 10
TICKET_PATH = "/support/tickets/{id}"


def smtp_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def send_email(settings: Settings, sender: str, to: str, subject: str, body: str) -> bool:
    """True when the server accepted the message; False when SMTP is off or the send failed (logged).

    The subject is made one line here, whatever the caller passes: a line break in a header is refused
    by the email library (a 500 for the writer) and would otherwise start a header of the writer's choosing.
    The failure is logged without the subject, which quotes the writer's ticket."""
    if not smtp_configured(settings) or not to:
        return False
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, one_line(subject)
    message.set_content(body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username and settings.smtp_password:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("support email not sent", extra={"smtp_error": type(exc).__name__})
        return False
    return True


def _subject(ticket: Ticket, language: str = ENGLISH) -> str:
    _ = gettext_for(language)
    tag = _("Memo AI Coach support #%(number)s") % {"number": ticket.id}
    return f"[{tag}] {ticket.summary[:120]}"


def new_ticket(settings: Settings, config: SupportConfig, ticket: Ticket) -> bool:
    body = (
        f"New {ticket.priority} ticket #{ticket.id} ({ticket.category}, cause: {ticket.matched_rule or 'untriaged'}).\n\n"
        f"{ticket.description}\n\nAnswer it at {TICKET_PATH.format(id=ticket.id)}\n"
    )
    return send_email(settings, config.email.from_address, config.email.support_address or "", _subject(ticket), body)


def reply_posted(
    settings: Settings, config: SupportConfig, ticket: Ticket, message: TicketMessage, writer_language: str = ENGLISH
) -> bool:
    """Support's reply goes to the writer's contact address, in the writer's language; a writer's reply
    to the support address, in English."""
    to_writer = message.side != WRITER_SIDE
    language = writer_language if to_writer else ENGLISH
    to = ticket.contact_email if to_writer else config.email.support_address
    _ = gettext_for(language)
    link = _("The whole conversation: %(link)s (under My tickets)")
    body = f"{message.body}\n\n{link % {'link': TICKET_PATH.format(id=ticket.id)}}\n"
    return send_email(settings, config.email.from_address, to or "", _subject(ticket, language), body)
