"""Retention with archiving: rows past their kind's retention go to a gzip JSON lines file, then go.

The archive files are listed in the `archives` table and can be loaded back (rows keep their ids).
Kinds are registered here; a later concept (metric history, tickets) adds its own entry.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import DateTime, delete, select
from sqlalchemy.orm import Session

from memo_coach.auth.models import LoginAttempt
from memo_coach.coaching.models import Evaluation
from memo_coach.db.base import utcnow
from memo_coach.errors import Conflict, NotFound
from memo_coach.maintenance.config import RetentionPolicy
from memo_coach.maintenance.scheduler.models import RUNNING, TaskRun
from memo_coach.maintenance.upkeep.models import Archive

BATCH = 500


@dataclass(frozen=True)
class ArchivableKind:
    model: type
    time_column: str
    policy_field: str  # days, in RetentionPolicy


KINDS: dict[str, ArchivableKind] = {
    "login_attempts": ArchivableKind(LoginAttempt, "at", "login_attempts_days"),
    "task_runs": ArchivableKind(TaskRun, "started_at", "task_runs_days"),
    "evaluations": ArchivableKind(Evaluation, "created_at", "evaluations_days"),
}


def _row_dict(row) -> dict:
    out = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        out[column.key] = value.isoformat() if isinstance(value, datetime) else value
    return out


def archive_kind(
    session: Session, directory: Path, kind: str, days: int, now: datetime | None = None
) -> Archive | None:
    """Moves rows of `kind` older than `days` into one archive file; None when there was nothing to move."""
    spec = KINDS[kind]
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    column = getattr(spec.model, spec.time_column)
    query = select(spec.model).where(column < cutoff).order_by(spec.model.id)
    if spec.model is TaskRun:
        query = query.where(TaskRun.status != RUNNING)
    rows = list(session.scalars(query))
    if not rows:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{kind}-{now.strftime('%Y%m%dT%H%M%SZ')}.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(_row_dict(row), default=str) + "\n")
    ids = [row.id for row in rows]
    for start in range(0, len(ids), BATCH):
        session.execute(delete(spec.model).where(spec.model.id.in_(ids[start : start + BATCH])))
    archive = Archive(kind=kind, path=str(path), rows=len(rows), sha256=_sha256(path), older_than=cutoff)
    session.add(archive)
    session.flush()
    return archive


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def apply_retention(session: Session, directory: Path, policy: RetentionPolicy) -> list[Archive]:
    done = []
    for kind, spec in KINDS.items():
        days = getattr(policy, spec.policy_field)
        if days is not None and (archive := archive_kind(session, directory, kind, days)):
            done.append(archive)
    return done


def list_archives(session: Session) -> list[Archive]:
    return list(session.scalars(select(Archive).order_by(Archive.id.desc())))


def restore_archive(session: Session, archive_id: int) -> int:
    """Loads an archive's rows back (rows whose id exists again are left alone); returns rows inserted."""
    archive = session.get(Archive, archive_id)
    if archive is None:
        raise NotFound(f"no archive {archive_id}", field="archive_id")
    path = Path(archive.path)
    if not path.exists() or _sha256(path) != archive.sha256:
        raise Conflict(f"archive file {path.name} is missing or does not match its checksum")
    model = KINDS[archive.kind].model
    inserted = 0
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            data = _typed(model, json.loads(line))
            if session.get(model, data["id"]) is None:
                session.add(model(**data))
                inserted += 1
    archive.restored_at = utcnow()
    session.flush()
    return inserted


def _typed(model, data: dict) -> dict:
    for column in model.__table__.columns:
        value = data.get(column.key)
        if isinstance(value, str) and isinstance(
            column.type.impl if hasattr(column.type, "impl") else column.type, DateTime
        ):
            data[column.key] = datetime.fromisoformat(value)
    return data


def archive_view(archive: Archive) -> dict:
    return {
        "id": archive.id,
        "kind": archive.kind,
        "file": Path(archive.path).name,
        "rows": archive.rows,
        "sha256": archive.sha256,
        "older_than": archive.older_than.isoformat(),
        "created_at": archive.created_at.isoformat(),
        "restored_at": archive.restored_at.isoformat() if archive.restored_at else None,
    }
