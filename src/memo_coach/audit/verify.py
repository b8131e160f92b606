"""Checks the whole chain and names every break: which row, and whether it was altered, removed or added.

A row whose content no longer matches its own hash was altered. A row whose link (prev_hash) does
not match the row before it follows a removal (when ids are missing in between) or is an insertion
or a re-linked row. Verification reads the chain in pages, so a long trail does not fill memory.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach.audit import GENESIS, digest
from memo_coach.audit.models import AuditEvent

MAX_REPORTED = 100


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    kind: str  # altered | removed_before | inserted
    message: str


def find_breaks(session: Session) -> list[ChainBreak]:
    breaks: list[ChainBreak] = []
    prev_hash, prev_id = GENESIS, 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(500):
        if event.hash != digest(event, event.prev_hash):
            breaks.append(ChainBreak(event.id, "altered", f"event {event.id} was changed after it was written"))
        elif event.prev_hash != prev_hash:
            if prev_hash == GENESIS or event.id > prev_id + 1 or _links_to_removed(session, event):
                gap = f"events {prev_id + 1}..{event.id - 1}" if event.id > prev_id + 1 else "an event"
                message = f"{gap} before event {event.id} were removed (its link points to a missing event)"
                breaks.append(ChainBreak(event.id, "removed_before", message))
            else:
                message = f"event {event.id} does not link to event {prev_id}: inserted or re-linked"
                breaks.append(ChainBreak(event.id, "inserted", message))
        if len(breaks) >= MAX_REPORTED:
            break
        prev_hash, prev_id = event.hash, event.id
    return breaks


def _links_to_removed(session: Session, event: AuditEvent) -> bool:
    """True when the link names no stored event: whatever it pointed to is gone."""
    return not session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.hash == event.prev_hash))


def chain_report(session: Session) -> dict:
    """What `memo-coach audit verify`, the viewer and the compliance report show."""
    breaks = find_breaks(session)
    count = session.scalar(select(func.count(AuditEvent.id))) or 0
    return {"intact": not breaks, "events": count, "breaks": [asdict(b) for b in breaks]}
