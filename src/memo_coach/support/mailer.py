"""Support email over SMTP, when MEMO_COACH_SMTP_HOST is set; a failed send is logged, never raised.

A ticket reply must not fail because the mail server is down: the reply is stored and shown under
"My tickets" either way; the email is a courtesy copy.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from memo_coach.settings import Settings

log = logging.getLogger(__name__)
SMTP_TIMEOUT_SECONDS = 10


def smtp_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def send_email(settings: Settings, sender: str, to: str, subject: str, body: str) -> bool:
    """True when the server accepted the message; False when SMTP is off or the send failed (logged)."""
    if not smtp_configured(settings) or not to:
        return False
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username and settings.smtp_password:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("support email not sent", extra={"smtp_error": type(exc).__name__, "subject_line": subject})
        return False
    return True
