"""Security-relevant events, hash-chained so an edited or deleted row breaks the chain."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from memo_coach.audit.models import AuditEvent

GENESIS = "0" * 64
_PG_LOCK_KEY = 74_120_001
# One event's details stay small: an audit row is evidence, not a copy of the input that caused it.
MAX_DETAILS_CHARS = 4_000


def bounded_details(details: dict[str, Any] | None) -> dict[str, Any]:
    """The details as given, or a truncated preview of them when they would be larger than the cap."""
    text = json.dumps(details or {}, sort_keys=True, default=str)
    if len(text) <= MAX_DETAILS_CHARS:
        return details or {}
    return {"truncated": True, "size": len(text), "preview": text[: MAX_DETAILS_CHARS - 200]}


def digest(event: AuditEvent, prev_hash: str) -> str:
    payload = json.dumps(
        [prev_hash, event.at.isoformat(), event.actor, event.action, event.target, event.details],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    session: Session, actor: str, action: str, target: str = "", details: dict[str, Any] | None = None
) -> AuditEvent:
    """Appends an event in the caller's transaction.

    The row is inserted before the previous hash is read: on SQLite that insert takes the write lock,
    on PostgreSQL an advisory lock does, so two writers can never link to the same predecessor.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    event = AuditEvent(
        actor=actor[:64],
        action=action[:64],
        target=target[:200],
        details=bounded_details(details),
        prev_hash="",
        hash=secrets.token_hex(32),
    )
    session.add(event)
    session.flush()
    prev = session.scalar(
        select(AuditEvent.hash).where(AuditEvent.id < event.id).order_by(AuditEvent.id.desc()).limit(1)
    )
    session.refresh(event)  # read back the stored timestamp so the digest matches what verify sees
    event.prev_hash = prev or GENESIS
    event.hash = digest(event, event.prev_hash)
    session.flush()
    return event


def verify_chain(session: Session) -> tuple[bool, int | None]:
    """(True, None) when intact, else (False, id of the first event that does not match)."""
    from memo_coach.audit.verify import find_breaks

    breaks = find_breaks(session)
    return (False, breaks[0].event_id) if breaks else (True, None)
