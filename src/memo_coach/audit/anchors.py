"""The chain's head written down outside the database, so that removing the newest events shows.

A chain can only vouch for the rows it still has: delete the newest events and what remains is a
shorter chain that verifies. So the head (event id and hash) is anchored where whoever writes the
database cannot reach: a line in `<backup dir>/audit/anchors.jsonl` (and its copy in the secondary
backup directory), a structured log line, and the manifest of each backup. Verification then holds
every anchor against the database: an anchored event that is gone or changed names the tampering.

A restore legitimately takes the chain back; its anchor line says to which event (`rewound_to`), and
the anchors of the discarded future no longer count.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from memo_coach.audit.models import AuditEvent
from memo_coach.db.engine import make_engine

ANCHOR_FILE = Path("audit") / "anchors.jsonl"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchor:
    event_id: int  # 0: the chain was empty
    hash: str
    at: str  # UTC ISO 8601
    reason: str
    rewound_to: int | None = None  # a restore: anchors above this event id no longer count

    def to_dict(self) -> dict:
        return asdict(self)


def anchor_files(backup_dir: Path, secondary_dir: Path | None = None) -> list[Path]:
    """Beside the backups: outside the database directory, and copied off the machine with them."""
    return [d / ANCHOR_FILE for d in (backup_dir, secondary_dir) if d is not None]


def head(bind: Session | Connection) -> tuple[int, str]:
    """The newest event's id and hash; (0, "") for an empty chain."""
    row = bind.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (0, "")


def head_at(url: str) -> int:
    """The newest event id of another database (a restored copy)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return head(conn)[0]
    finally:
        engine.dispose()


def head_anchor(engine: Engine, reason: str, rewound_to: int | None = None) -> Anchor:
    """The committed head now, as an anchor to write (a backup reads it before its snapshot, so the
    backup holds at least this event)."""
    with engine.connect() as conn:
        event_id, event_hash = head(conn)
    return Anchor(event_id, event_hash, datetime.now(UTC).isoformat(), reason, rewound_to)


def write_anchor(files: list[Path], found: Anchor) -> Anchor:
    """Appends one line per file in a single write, so a reader never sees half an anchor."""
    line = (json.dumps(found.to_dict(), sort_keys=True) + "\n").encode()
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
    log.info(
        "audit head anchored",
        extra={
            "audit_event_id": found.event_id,
            "audit_head_hash": found.hash,
            "anchor_reason": found.reason,
            "rewound_to": found.rewound_to,
            "anchor_files": [str(p) for p in files],
        },
    )
    return found


def read_anchors(path: Path) -> list[Anchor]:
    """Every anchor in the file, oldest first; a line that is not an anchor is skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    found = []
    for line in lines:
        try:
            found.append(Anchor(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return found


def latest_anchor(path: Path) -> Anchor | None:
    """The last head anchored: what a watcher compares the live chain with."""
    anchors = read_anchors(path)
    return anchors[-1] if anchors else None


def standing(anchors: list[Anchor]) -> list[Anchor]:
    """The anchors that still bind the chain, by event id: those no later restore took back. Two anchors
    of one event with different hashes both stay: the later one may have anchored a rewrite."""
    kept: dict[tuple[int, str], Anchor] = {}
    for a in anchors:
        if a.rewound_to is not None:
            kept = {k: v for k, v in kept.items() if k[0] <= a.rewound_to}
        if a.event_id:
            kept.setdefault((a.event_id, a.hash), a)
    return [kept[k] for k in sorted(kept)]
