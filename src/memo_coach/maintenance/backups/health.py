"""Backup health for /health/detailed and the Prometheus series an alert rule can read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.component_status import DEGRADED, HEALTHY, UNHEALTHY, ComponentStatus
from memo_coach.maintenance.backups.models import DRILL, VERIFY, BackupCheck

NAME = "backups"
FIX_TAKE_ONE = "Take and verify a backup now: Maintenance page, backup, Run now (or `memo-coach backup create`)."


def latest_check(session: Session, kind: str) -> BackupCheck | None:
    return session.scalars(
        select(BackupCheck).where(BackupCheck.kind == kind).order_by(BackupCheck.id.desc()).limit(1)
    ).first()


def last_good_verification(session: Session) -> BackupCheck | None:
    query = select(BackupCheck).where(BackupCheck.kind == VERIFY, BackupCheck.ok.is_(True))
    return session.scalars(query.order_by(BackupCheck.id.desc()).limit(1)).first()


@dataclass(frozen=True)
class VerificationState:
    """Where one backup stands, as `backup list` and the maintenance page both say it: verified or FAILED
    (with the failure's reason) at a moment, or not yet verified."""

    ok: bool | None  # None: never verified
    at: datetime | None = None
    reason: str = ""

    @property
    def state(self) -> str:
        return "not yet verified" if self.ok is None else "verified" if self.ok else "FAILED"


def verification_states(session: Session, backup_ids: list[str]) -> dict[str, VerificationState]:
    """Each listed backup's most recent verification; "not yet verified" for those without one."""
    rows = session.scalars(
        select(BackupCheck)
        .where(BackupCheck.kind == VERIFY, BackupCheck.backup_id.in_(backup_ids))
        .order_by(BackupCheck.id)
    )
    latest = {row.backup_id: row for row in rows}  # later rows win
    return {
        backup_id: VerificationState(check.ok, check.at, "" if check.ok else check.reason)
        if (check := latest.get(backup_id))
        else VerificationState(None)
        for backup_id in backup_ids
    }


def verification_words(verification: VerificationState) -> str:
    """The command line's words: "verified 2025-03-02 02:15", "FAILED 2025-03-02 02:15: reason", "not yet
    verified" (the page shows the same state with its moment filter)."""
    if verification.at is None:
        return verification.state
    words = f"{verification.state} {verification.at.isoformat()[:16].replace('T', ' ')}"
    return f"{words}: {verification.reason}" if verification.reason else words


def backup_health(session: Session) -> ComponentStatus:
    """Unhealthy when the latest verification failed; degraded when nothing was ever verified.

    How old the last backup may be is the scheduler's dead man's switch on the backup task.
    """
    latest = latest_check(session, VERIFY)
    drill = latest_check(session, DRILL)
    details = {
        "last_verification": _view(latest),
        "last_good_verification_at": _at(last_good_verification(session)),
        "last_drill": _view(drill),
    }
    if latest is None:
        return ComponentStatus(NAME, DEGRADED, "no backup has been verified yet", details=details, fix=FIX_TAKE_ONE)
    if not latest.ok:
        return ComponentStatus(
            NAME,
            UNHEALTHY,
            f"backup {latest.backup_id} failed verification: {latest.reason}",
            details=details,
            fix=FIX_TAKE_ONE + " If it fails again, see docs/maintenance.md (Backups) before trusting any backup.",
        )
    if drill is not None and not drill.ok:
        return ComponentStatus(
            NAME,
            DEGRADED,
            f"the last restore drill failed: {drill.reason}",
            details=details,
            fix="Run the drill again (Maintenance page: restore_drill, Run now, or `memo-coach tasks run restore_drill`).",
        )
    return ComponentStatus(
        NAME, HEALTHY, f"backup {latest.backup_id} verified at {latest.at.isoformat()}", details=details
    )


def _at(check: BackupCheck | None) -> str | None:
    return check.at.isoformat() if check else None


def _view(check: BackupCheck | None) -> dict | None:
    if check is None:
        return None
    return {
        "backup_id": check.backup_id,
        "ok": check.ok,
        "reason": check.reason,
        "at": check.at.isoformat(),
        "seconds": check.duration_seconds,
        **check.details,
    }


def check_history(session: Session, kind: str, limit: int = 50) -> list[dict]:
    rows = session.scalars(
        select(BackupCheck).where(BackupCheck.kind == kind).order_by(BackupCheck.id.desc()).limit(limit)
    )
    return [_view(r) for r in rows]
