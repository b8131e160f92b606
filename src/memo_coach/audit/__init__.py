"""Security-relevant events, hash-chained so an edited or deleted row breaks the chain, and sealed with a
key outside the database (sealing.py) so that a rewritten chain does not verify either."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from memo_coach.audit.models import AuditEvent
from memo_coach.audit.sealing import EPOCH, SEAL_FIELD, carries_seal, seal, sealing_of, without_seal

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
        [prev_hash, event.at.isoformat(), event.actor, event.action, event.target, without_seal(event.details)],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    session: Session, actor: str, action: str, target: str = "", details: dict[str, Any] | None = None
) -> AuditEvent:
    """Appends an event in the caller's transaction.

    The row is inserted before the previous event is read: on SQLite that insert takes the write lock,
    on PostgreSQL an advisory lock does, so two writers can never link to the same predecessor. With
    a key, an event that would follow an unsealed one is preceded by the `audit.keyed` epoch.
    """
    sealing = sealing_of(session)
    key = sealing.key if sealing else None
    _lock(session)
    event = _placeholder(session)
    prev = _previous(session, event)
    if key and prev and not _is_sealed(key, prev):
        prev = _epoch(session, event, prev, key)
        event = _placeholder(session)
    return _link(session, event, prev, key, actor, action, target, bounded_details(without_seal(details)))


def seal_unkeyed_past(session: Session) -> AuditEvent | None:
    """At start: the epoch after events written without a key (the upgrade to a keyed chain), so the
    past is sealed now rather than at the next event; nothing when the newest event is sealed already."""
    sealing = sealing_of(session)
    if sealing is None:
        return None
    # Looked at on a connection of its own: a read in this transaction before its first write would make
    # SQLite refuse that write if another process wrote in between.
    with session.get_bind().connect() as conn:
        newest = conn.execute(
            select(AuditEvent.id, AuditEvent.hash, AuditEvent.details).order_by(AuditEvent.id.desc()).limit(1)
        ).first()
    if newest is None or carries_seal(sealing.key, *newest):
        return None
    _lock(session)
    event = _placeholder(session)
    prev = _previous(session, event)
    if prev is None or _is_sealed(sealing.key, prev):  # another process sealed it meanwhile
        session.delete(event)
        session.flush()
        return None
    return _epoch(session, event, prev, sealing.key)


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})


def _previous(session: Session, event: AuditEvent) -> AuditEvent | None:
    return session.scalar(select(AuditEvent).where(AuditEvent.id < event.id).order_by(AuditEvent.id.desc()).limit(1))


def _is_sealed(key: bytes, event: AuditEvent) -> bool:
    return carries_seal(key, event.id, event.hash, event.details)


def _epoch(session: Session, event: AuditEvent, prev: AuditEvent, key: bytes) -> AuditEvent:
    """The first sealed event after unsealed ones: its seal covers their head, so rewriting them shows."""
    unsealed = session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.id < event.id))
    return _link(session, event, prev, key, "system", EPOCH, "", {"unsealed_events": unsealed, "sealed_head": prev.id})


def _placeholder(session: Session) -> AuditEvent:
    event = AuditEvent(actor="", action="", target="", details={}, prev_hash="", hash=secrets.token_hex(32))
    session.add(event)
    session.flush()
    session.refresh(event)  # read back the stored timestamp so the digest matches what verify sees
    return event


def _link(
    session: Session,
    event: AuditEvent,
    prev: AuditEvent | None,
    key: bytes | None,
    actor: str,
    action: str,
    target: str,
    details: dict[str, Any],
) -> AuditEvent:
    event.actor, event.action, event.target, event.details = actor[:64], action[:64], target[:200], details
    event.prev_hash = prev.hash if prev else GENESIS
    event.hash = digest(event, event.prev_hash)
    if key:
        event.details = {**details, SEAL_FIELD: seal(key, event.id, event.hash)}
    session.flush()
    return event


def verify_chain(session: Session) -> tuple[bool, int | None]:
    """(True, None) when intact, else (False, id of the first event that does not match)."""
    from memo_coach.audit.verify import find_breaks

    breaks = find_breaks(session)
    return (False, breaks[0].event_id) if breaks else (True, None)
