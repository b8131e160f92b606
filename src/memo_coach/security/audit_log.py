"""Reading the audit trail: filtered pages for the admin viewer, and CSV or JSON exports for auditors.

An export is itself audited (who took a copy of the trail, with which filters). Its cells carry text
anyone could type (a failed sign-in's username), so the CSV is made safe to open in a spreadsheet.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.audit.models import AuditEvent
from memo_coach.audit.sealing import SEAL_FIELD, without_seal
from memo_coach.security.spreadsheet import csv_text

FORMATS = ("csv", "json")
COLUMNS = ("id", "at", "actor", "action", "target", "details", "prev_hash", "hash", "seal")
MAX_PAGE = 200


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None  # a prefix: "user." matches every account change
    target: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def apply(self, query):
        if self.actor:
            query = query.where(AuditEvent.actor == self.actor)
        if self.action:
            query = query.where(AuditEvent.action.startswith(self.action, autoescape=True))
        if self.target:
            query = query.where(AuditEvent.target == self.target)
        if self.since:
            query = query.where(AuditEvent.at >= self.since)
        if self.until:
            query = query.where(AuditEvent.at < self.until)
        return query

    def described(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(self).items() if v}


def event_view(event: AuditEvent) -> dict:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "target": event.target,
        "details": without_seal(event.details),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
        "seal": (event.details or {}).get(SEAL_FIELD),
    }


def search(session: Session, where: AuditFilter, limit: int = 50, offset: int = 0) -> tuple[list[dict], int]:
    """Newest first, one page, with the total that matched."""
    total = session.scalar(where.apply(select(func.count(AuditEvent.id)))) or 0
    rows = session.scalars(
        where.apply(select(AuditEvent)).order_by(AuditEvent.id.desc()).limit(min(limit, MAX_PAGE)).offset(offset)
    )
    return [event_view(e) for e in rows], total


def actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def export(session: Session, where: AuditFilter, fmt: str, *, actor: str) -> str:
    """The matching events, oldest first, as CSV or JSON text (hashes included, so a copy can be re-verified)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    rows = [event_view(e) for e in session.scalars(where.apply(select(AuditEvent)).order_by(AuditEvent.id))]
    audit.record(session, actor, "audit.exported", fmt, {"filters": where.described(), "events": len(rows)})
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False)
    return csv_text(
        COLUMNS, [{**row, "details": json.dumps(row["details"], sort_keys=True, ensure_ascii=False)} for row in rows]
    )
