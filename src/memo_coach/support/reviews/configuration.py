"""Weekly configuration review: the week's changes, refused edits, open proposals, and disk drift."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.audit.models import AuditEvent
from memo_coach.config_store.disk import config_path
from memo_coach.config_store.models import PENDING, ConfigProposal, ConfigVersion
from memo_coach.config_store.versions import active_versions, checksum
from memo_coach.settings import Settings

WEEK = timedelta(days=7)


def drift(session: Session, settings: Settings) -> list[dict[str, Any]]:
    """Files whose content on this replica's disk differs from the active version (or is missing)."""
    found = []
    for name, version in sorted(active_versions(session).items()):
        path = config_path(settings.config_dir, name)
        try:
            on_disk = checksum(path.read_text(encoding="utf-8"))
        except OSError:
            found.append({"file": name, "problem": "missing on disk"})
            continue
        if on_disk != version.checksum:
            found.append({"file": name, "problem": f"disk differs from active version {version.number}"})
    return found


def configuration_review(session: Session, settings: Settings, now: datetime) -> dict[str, Any]:
    since = now - WEEK
    changes = session.scalars(select(ConfigVersion).where(ConfigVersion.created_at >= since).order_by(ConfigVersion.id))
    refusals = session.scalars(
        select(AuditEvent).where(AuditEvent.at >= since, AuditEvent.action == "config.refused").order_by(AuditEvent.id)
    )
    waiting = session.scalars(select(ConfigProposal).where(ConfigProposal.status == PENDING))
    return {
        "from": since.isoformat(),
        "to": now.isoformat(),
        "changes": [
            {
                "file": v.name,
                "version": v.number,
                "author": v.author,
                "reason": v.reason,
                "at": v.created_at.isoformat(),
            }
            for v in changes
        ],
        "refusals": [{"at": e.at.isoformat(), "file": e.target, "details": e.details} for e in refusals],
        "waiting_for_approval": [
            {"file": p.name, "author": p.author, "since": p.created_at.isoformat()} for p in waiting
        ],
        "drift": drift(session, settings),
    }
