"""Maintenance mode: one table of windows. The app is in maintenance while a window covers now.

`maintenance on` opens a window starting now (open-ended or with an end); `maintenance off` ends
every window covering now; windows planned ahead wait for their start. All replicas read the same rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.db.base import utcnow
from memo_coach.errors import InvalidInput, NotFound
from memo_coach.maintenance.mode.models import MaintenanceWindow

# With no planned end, clients are told to come back in five minutes.
DEFAULT_RETRY_SECONDS = 300


@dataclass(frozen=True)
class MaintenanceState:
    active: bool
    message: str = ""
    until: datetime | None = None
    window_id: int | None = None
    exclusive_to: str | None = None  # a restore's window: only this actor may write

    def retry_after(self, now: datetime) -> int:
        if self.until is None:
            return DEFAULT_RETRY_SECONDS
        return max(1, math.ceil((self.until - now).total_seconds()))

    def to_dict(self) -> dict:
        return {
            "active": self.active,
            "message": self.message,
            "until": self.until.isoformat() if self.until else None,
            "window_id": self.window_id,
            "exclusive_to": self.exclusive_to,
        }


def _covering(now: datetime):
    return select(MaintenanceWindow).where(
        MaintenanceWindow.starts_at <= now, or_(MaintenanceWindow.ends_at.is_(None), MaintenanceWindow.ends_at > now)
    )


_windows = MaintenanceWindow.__table__.c
# Prepared once, on the table: every write request asks, and almost always no window covers now.
COVERING_NOW = (
    select(_windows.id, _windows.message, _windows.ends_at, _windows.exclusive_to)
    .where(_windows.starts_at <= bindparam("now"), or_(_windows.ends_at.is_(None), _windows.ends_at > bindparam("now")))
    .order_by(_windows.starts_at.desc())
)


def maintenance_state(session: Session, now: datetime | None = None) -> MaintenanceState:
    """Whether writes are held off now, and for how long; one indexed query. An exclusive window (a
    restore) wins over planned ones covering the same moment."""
    windows = session.connection().execute(COVERING_NOW, {"now": now or utcnow()}).all()
    if not windows:
        return MaintenanceState(False)
    window = next((w for w in windows if w.exclusive_to), windows[0])
    return MaintenanceState(True, window.message, window.ends_at, window.id, window.exclusive_to)


def switch_on(
    session: Session, actor: str, message: str, until: datetime | None = None, exclusive: bool = False
) -> MaintenanceWindow:
    """Maintenance from now; `exclusive` (a restore) refuses every write but the actor's own."""
    now = utcnow()
    if until is not None and until <= now:
        raise InvalidInput("the end of maintenance must be in the future", field="until")
    return _add(session, actor, now, until, message, actor if exclusive else None)


def switch_off(session: Session, actor: str) -> int:
    """Ends every window covering now; returns how many were ended."""
    now = utcnow()
    windows = list(session.scalars(_covering(now)))
    for window in windows:
        window.ends_at = now
    if windows:
        audit.record(session, actor, "maintenance.off", "", {"windows": [w.id for w in windows]})
    return len(windows)


def end_window(session: Session, actor: str, window_id: int) -> None:
    """Ends one window now (a restore ends its own, not the planned ones of other operators)."""
    window = session.get(MaintenanceWindow, window_id)
    if window is not None and (window.ends_at is None or window.ends_at > utcnow()):
        window.ends_at = utcnow()
        audit.record(session, actor, "maintenance.off", "", {"windows": [window_id]})


def schedule_window(
    session: Session, actor: str, starts_at: datetime, ends_at: datetime, message: str
) -> MaintenanceWindow:
    if ends_at <= starts_at:
        raise InvalidInput("a window must end after it starts", field="ends_at")
    if ends_at <= utcnow():
        raise InvalidInput("the window is already over", field="ends_at")
    return _add(session, actor, starts_at, ends_at, message)


def _add(
    session: Session, actor: str, starts: datetime, ends: datetime | None, message: str, exclusive_to: str | None = None
) -> MaintenanceWindow:
    message = message.strip()
    if not message or len(message) > 500:
        raise InvalidInput("a message of 1 to 500 characters tells writers what is happening", field="message")
    window = MaintenanceWindow(
        starts_at=starts, ends_at=ends, message=message, created_by=actor, exclusive_to=exclusive_to
    )
    session.add(window)
    session.flush()
    audit.record(
        session,
        actor,
        "maintenance.window",
        str(window.id),
        {"starts_at": starts.isoformat(), "ends_at": ends.isoformat() if ends else None},
    )
    return window


def cancel_window(session: Session, actor: str, window_id: int) -> None:
    window = session.get(MaintenanceWindow, window_id)
    if window is None:
        raise NotFound(f"no maintenance window {window_id}", field="window_id")
    session.delete(window)
    audit.record(session, actor, "maintenance.window_cancelled", str(window_id))


def upcoming_windows(session: Session, now: datetime | None = None, days: int = 30) -> list[MaintenanceWindow]:
    """Windows now in force or starting within `days`, soonest first (the status page lists these)."""
    now = now or utcnow()
    return list(
        session.scalars(
            select(MaintenanceWindow)
            .where(
                MaintenanceWindow.starts_at <= now + timedelta(days=days),
                or_(MaintenanceWindow.ends_at.is_(None), MaintenanceWindow.ends_at > now),
            )
            .order_by(MaintenanceWindow.starts_at)
        )
    )


def window_view(window: MaintenanceWindow) -> dict:
    return {
        "id": window.id,
        "starts_at": window.starts_at.isoformat(),
        "ends_at": window.ends_at.isoformat() if window.ends_at else None,
        "message": window.message,
        "created_by": window.created_by,
    }
