"""The audit key: what makes the chain evidence against someone who can write the database.

A plain hash chain only proves that rows agree with each other: whoever can write the table can
rewrite a row and recompute every later hash. So each event also carries a seal, HMAC-SHA256 of its
id and hash under a key that is never in the database (MEMO_COACH_AUDIT_KEY, else DATA_DIR/audit_key).
The seal lives in the event's details under `_seal`, outside what the plain hash covers, so the
plain chain stays checkable by anyone and old rows keep their hashes.

Events written before the chain had a key stay as they were: the first sealed event (`audit.keyed`,
written at the first start with a key) links to their head, so rewriting that past breaks its seal.

The key travels with the runtime's session factory (`Session.info`), as every caller of
`audit.record` holds a session and nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from memo_coach.audit.anchors import anchor_files
from memo_coach.settings import Settings

SEAL_FIELD = "_seal"
EPOCH = "audit.keyed"
_INFO = "memo_coach.audit_sealing"


@dataclass(frozen=True)
class Sealing:
    """Where this process's audit key and anchor files come from; the key is read on first use."""

    settings: Settings

    @property
    def key(self) -> bytes:
        return self.settings.ensure_audit_key().encode()

    @property
    def anchor_files(self) -> list[Path]:
        return anchor_files(self.settings.backups_path, self.settings.backup_secondary_dir)


def sealed(sessions: sessionmaker[Session], settings: Settings) -> sessionmaker[Session]:
    """The factory, its sessions now sealing what they record and checking seals and anchors."""
    sessions.configure(info={_INFO: Sealing(settings)})
    return sessions


def sealing_of(session: Session) -> Sealing | None:
    return session.info.get(_INFO)


def seal(key: bytes, event_id: int, event_hash: str) -> str:
    return hmac.new(key, f"{event_id}:{event_hash}".encode(), hashlib.sha256).hexdigest()


def carries_seal(key: bytes, event_id: int, event_hash: str, details: dict[str, Any] | None) -> bool:
    stored = (details or {}).get(SEAL_FIELD)
    return isinstance(stored, str) and hmac.compare_digest(stored, seal(key, event_id, event_hash))


def without_seal(details: dict[str, Any] | None) -> dict[str, Any]:
    """The details as the caller gave them: what the plain hash covers and what views show."""
    return {k: v for k, v in (details or {}).items() if k != SEAL_FIELD}
