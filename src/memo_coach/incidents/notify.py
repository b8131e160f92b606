"""Notifications through apprise: one URL per channel, kept in the environment, routed by severity.

A notification is a row first (the delivery log), then a delivery attempt outside the transaction
that queued it; a failed attempt is retried with doubling delays until `notify_retries` run out, and
the last error stays on the row for the operator.
"""

from __future__ import annotations

import logging
import os
import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.errors import NotFound
from memo_coach.incidents.alert_list import value_text
from memo_coach.incidents.config import Channel, MonitoringConfig
from memo_coach.incidents.models import AlertState, Incident, Notification

log = logging.getLogger(__name__)
PENDING, SENT, FAILED = "pending", "sent", "failed"
ROUTED_EVENTS = ("opened", "escalated", "resolved")
LINK_LINE = re.compile(r"^(Console|Runbook): /", re.MULTILINE)


def _wants(channel: Channel, incident: Incident, event: str) -> bool:
    if incident.severity not in channel.severities:
        return False
    return event == "escalated" or not channel.escalation_only


def alert_lines(session: Session, config: MonitoringConfig, incident: Incident) -> list[str]:
    """The alert behind an incident a rule opened: its value against its threshold, and its runbook."""
    rule = config.rule(incident.cause) if incident.source == "rule" else None
    if rule is None:
        return []
    state = session.scalar(select(AlertState).where(AlertState.rule == rule.name))
    return [f"Alert {rule.name}: {value_text(rule, state.value if state else None)}.", f"Runbook: {rule.runbook_page}"]


def message_for(incident: Incident, event: str, alert: list[str] | None = None, meaning: str = "") -> tuple[str, str]:
    """Title and body a person on call reads first: severity and what it means, what is wrong, the
    value against its threshold, then where to act. Links are paths here; `with_public_url` makes them
    absolute when the message goes out."""
    title = f"[{incident.severity}] {event}: {incident.title}"
    severity = f"{incident.severity} ({meaning})" if meaning else incident.severity
    body = "\n".join(
        [
            f"Severity {severity}; {incident.component}; {incident.status}.",
            *(alert or []),
            f"Opened {incident.opened_at:%d %b %Y %H:%M} UTC; source {incident.source}.",
            f"Console: /ops/incidents/{incident.id}",
        ]
    )
    return title[:300], body


def with_public_url(body: str, public_url: str) -> str:
    """The body with its Console and Runbook paths made absolute under the service's public address."""
    if not public_url:
        return body
    return LINK_LINE.sub(lambda m: f"{m.group(1)}: {public_url.rstrip('/')}/", body)


def enqueue(session: Session, config: MonitoringConfig, incident: Incident, event: str, now: datetime) -> int:
    """Queues one delivery per channel routed for this severity and event; returns how many."""
    meaning = config.severity_meanings.get(incident.severity, "")  # type: ignore[call-overload]
    title, body = message_for(incident, event, alert_lines(session, config, incident), meaning)
    rows = [
        Notification(incident_id=incident.id, channel=c.name, event=event, title=title, body=body, next_attempt_at=now)
        for c in config.channels
        if _wants(c, incident, event)
    ]
    session.add_all(rows)
    return len(rows)


def send(channel: Channel, title: str, body: str) -> str | None:
    """Delivers one message; None when it went through, else why not (no secret in the text)."""
    url = os.environ.get(channel.url_env, "").strip()
    if not url:
        return f"{channel.url_env} is not set"
    import apprise  # here: 4 MB and 50 ms of plugins that a process sending nothing should not pay

    sender = apprise.Apprise()
    if not sender.add(url):
        return f"{channel.url_env} does not hold a URL apprise understands"
    try:
        return None if sender.notify(title=title, body=body) else "the channel refused or did not answer"
    except Exception as exc:  # a plugin's bug must not end the evaluator loop
        return f"{type(exc).__name__}"


def _attempt(
    session: Session, config: MonitoringConfig, row: Notification, now: datetime, public_url: str = ""
) -> None:
    channel = next((c for c in config.channels if c.name == row.channel), None)
    body = with_public_url(row.body, public_url)
    error = send(channel, row.title, body) if channel else f"channel {row.channel} is no longer configured"
    row.attempts += 1
    if error is None:
        row.status, row.sent_at, row.last_error = SENT, now, ""
        return
    row.last_error = error[:500]
    if row.attempts > config.notify_retries:
        row.status = FAILED
        log.warning("notification %s to %s failed for good: %s", row.id, row.channel, error)
    else:
        row.next_attempt_at = now + timedelta(seconds=config.notify_backoff_seconds * 2 ** (row.attempts - 1))


def deliver_due(
    sessions: sessionmaker[Session], config: MonitoringConfig, now: datetime | None = None, public_url: str = ""
) -> int:
    """Attempts every delivery that is due, each in its own transaction; returns the ones sent.
    `public_url` (settings.public_base_url) turns the messages' links into addresses a phone can open."""
    now = now or utcnow()
    with session_scope(sessions) as session:
        due = session.scalars(
            select(Notification.id).where(Notification.status == PENDING, Notification.next_attempt_at <= now)
        ).all()
    sent = 0
    for row_id in due:
        with session_scope(sessions) as session:
            row = session.get(Notification, row_id)
            if row is None or row.status != PENDING:
                continue
            _attempt(session, config, row, now, public_url)
            sent += row.status == SENT
    return sent


def send_test(session: Session, config: MonitoringConfig, channel_name: str) -> Notification:
    """ "Send a test": one delivery now, logged like the others."""
    channel = next((c for c in config.channels if c.name == channel_name), None)
    if channel is None:
        known = ", ".join(c.name for c in config.channels) or "none configured"
        raise NotFound(f"no channel {channel_name!r}; channels: {known}")
    now = utcnow()
    row = Notification(
        channel=channel.name,
        event="test",
        title="Memo AI Coach: test notification",
        body="It works.",
        next_attempt_at=now,
    )
    session.add(row)
    session.flush()
    _attempt(session, config, row, now)
    return row


def deliveries(session: Session, incident_id: int | None = None, limit: int = 100) -> list[Notification]:
    query = select(Notification).order_by(Notification.id.desc()).limit(limit)
    if incident_id is not None:
        query = query.where(Notification.incident_id == incident_id)
    return list(session.scalars(query))


def delivery_view(row: Notification) -> dict:
    return {
        "id": row.id,
        "incident_id": row.incident_id,
        "channel": row.channel,
        "event": row.event,
        "status": row.status,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "created_at": row.created_at.isoformat(),
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
    }
