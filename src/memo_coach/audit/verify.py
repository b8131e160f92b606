"""Checks the whole chain and names every break: which row, and whether it was altered, removed,
added, rewritten without the key, or cut off at the end.

A row whose content no longer matches its own hash was altered. A row whose link (prev_hash) does
not match the row before it follows a removal (when ids are missing in between) or is an insertion
or a re-linked row. With the audit key (a runtime's sessions carry it), a row after the first sealed
one whose seal does not match was rewritten or added by someone without the key, even when every
plain hash was recomputed. The anchors outside the database catch what no row can show: the newest
events removed. Verification reads the chain in pages, so a long trail does not fill memory.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach.audit import GENESIS, digest
from memo_coach.audit.anchors import Anchor, read_anchors, standing
from memo_coach.audit.models import AuditEvent
from memo_coach.audit.sealing import EPOCH, SEAL_FIELD, carries_seal, sealing_of

MAX_REPORTED = 100
_LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    kind: str  # altered | removed_before | inserted | unsealed | removed | rewritten | truncated
    message: str


@dataclass
class _Walk:
    """The state of one pass over the chain, oldest first."""

    key: bytes | None
    breaks: list[ChainBreak] = field(default_factory=list)
    prev_hash: str = GENESIS
    prev_id: int = 0
    sealed_from: int | None = None
    unsealed: list[int] = field(default_factory=list)  # the current run of rows without a valid seal
    run_starts_at_epoch: bool = False

    def step(self, session: Session, event: AuditEvent) -> None:
        intact = event.hash == digest(event, event.prev_hash)
        if not intact:
            self.breaks.append(ChainBreak(event.id, "altered", f"event {event.id} was changed after it was written"))
        elif event.prev_hash != self.prev_hash:
            self.breaks.append(self._link_break(session, event))
        if self.key and intact:
            self._check_seal(event)
        self.prev_hash, self.prev_id = event.hash, event.id

    def _link_break(self, session: Session, event: AuditEvent) -> ChainBreak:
        prev_id = self.prev_id
        if self.prev_hash == GENESIS or event.id > prev_id + 1 or _links_to_removed(session, event):
            gap = f"events {prev_id + 1}..{event.id - 1}" if event.id > prev_id + 1 else "an event"
            message = f"{gap} before event {event.id} were removed (its link points to a missing event)"
            return ChainBreak(event.id, "removed_before", message)
        return ChainBreak(
            event.id, "inserted", f"event {event.id} does not link to event {prev_id}: inserted or re-linked"
        )

    def _check_seal(self, event: AuditEvent) -> None:
        """A row after the first sealed one must be sealed; so must a row that was sealed once (its
        stale seal is still there), which also locates a rewrite that reached the first sealed row."""
        if carries_seal(self.key, event.id, event.hash, event.details):
            self.sealed_from = self.sealed_from or event.id
            self._close_run()
        elif self.sealed_from is not None or SEAL_FIELD in (event.details or {}):
            if not self.unsealed:
                self.run_starts_at_epoch = event.action == EPOCH
            self.unsealed.append(event.id)

    def _close_run(self) -> None:
        if not self.unsealed:
            return
        first, last = self.unsealed[0], self.unsealed[-1]
        which = f"event {first}" if first == last else f"events {first}..{last}"
        where = (
            f"event {first} seals the unsealed events before it, so the rewrite is among them"
            if self.run_starts_at_epoch
            else f"the rewrite starts at event {first}"
        )
        message = f"{which} carry no valid seal: rewritten or added without the audit key ({where})"
        self.breaks.append(ChainBreak(first, "unsealed", message))
        self.unsealed = []

    def finish(self, first_id: int | None) -> list[ChainBreak]:
        self._close_run()
        if self.key and first_id is not None and self.sealed_from is None:
            message = (
                "no event carries a valid seal under this process's audit key: the chain was rewritten without "
                "the key, or the key is not the one that sealed it (MEMO_COACH_AUDIT_KEY or DATA_DIR/audit_key)"
            )
            self.breaks.append(ChainBreak(first_id, "unsealed", message))
        return self.breaks


def _links_to_removed(session: Session, event: AuditEvent) -> bool:
    """True when the link names no stored event: whatever it pointed to is gone."""
    return not session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.hash == event.prev_hash))


def anchor_breaks(session: Session, anchors: list[Anchor], head_id: int) -> list[ChainBreak]:
    """Each anchor still standing against the database: the first anchored event that is gone or
    changed (it locates the earliest tampering the anchors can prove), and the newest events removed."""
    anchors = standing(anchors)
    stored: dict[int, str] = {}
    ids = sorted({a.event_id for a in anchors if a.event_id <= head_id})
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        chunk = ids[start : start + _LOOKUP_CHUNK]
        stored.update(session.execute(select(AuditEvent.id, AuditEvent.hash).where(AuditEvent.id.in_(chunk))).all())
    breaks = []
    for a in anchors:
        if a.event_id > head_id:
            break
        if a.event_id not in stored:
            breaks.append(ChainBreak(a.event_id, "removed", f"event {a.event_id}, {_anchored(a)}, is missing"))
            break
        if stored[a.event_id] != a.hash:
            message = (
                f"event {a.event_id} differs from its anchor ({_anchored(a)}): it or an event before it was rewritten"
            )
            breaks.append(ChainBreak(a.event_id, "rewritten", message))
            break
    beyond = [a for a in anchors if a.event_id > head_id]
    if beyond:
        top = beyond[-1]
        removed = f"events after {head_id} were removed" if head_id else "every event was removed"
        breaks.append(
            ChainBreak(top.event_id, "truncated", f"{removed}: event {top.event_id} was the head {_anchored(top)}")
        )
    return breaks


def _anchored(a: Anchor) -> str:
    return f"anchored at {a.at} ({a.reason})"


@dataclass(frozen=True)
class ChainState:
    breaks: list[ChainBreak]
    events: int
    head_id: int
    sealed: bool  # seals were checked (this session carries the audit key)
    sealed_from: int | None
    anchor: Anchor | None  # the latest

    def report(self) -> dict:
        return {
            "intact": not self.breaks,
            "events": self.events,
            "breaks": [asdict(b) for b in self.breaks],
            "head_event_id": self.head_id,
            "seals_checked": self.sealed,
            "sealed_from_event": self.sealed_from,
            "latest_anchor": self.anchor.to_dict() if self.anchor else None,
        }


def inspect(session: Session) -> ChainState:
    sealing = sealing_of(session)
    walk = _Walk(sealing.key if sealing else None)
    first_id = None
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(500):
        first_id = first_id or event.id
        walk.step(session, event)
        if len(walk.breaks) >= MAX_REPORTED:
            break
    breaks = walk.finish(first_id)
    head_id = session.scalar(select(func.max(AuditEvent.id))) or 0
    anchors = read_anchors(sealing.anchor_files[0]) if sealing else []
    breaks += anchor_breaks(session, anchors, head_id)
    count = session.scalar(select(func.count(AuditEvent.id))) or 0
    latest = anchors[-1] if anchors else None
    return ChainState(breaks[:MAX_REPORTED], count, head_id, sealing is not None, walk.sealed_from, latest)


def find_breaks(session: Session) -> list[ChainBreak]:
    return inspect(session).breaks


def chain_report(session: Session) -> dict:
    """What `memo-coach audit verify`, the viewer and the compliance report show."""
    return inspect(session).report()
