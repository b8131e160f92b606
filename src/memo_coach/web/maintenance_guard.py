"""Holds writers off during maintenance: submissions answer 503 with Retry-After; operators pass."""

from __future__ import annotations

from fastapi import Request

from memo_coach.auth.roles import Role
from memo_coach.auth.sessions import user_for_token
from memo_coach.db.base import utcnow
from memo_coach.errors import Unavailable
from memo_coach.maintenance.mode.service import maintenance_state
from memo_coach.web.deps import DbSession, session_token


class UnderMaintenance(Unavailable):
    code = "maintenance"

    def __init__(self, message: str, retry_after: int, until: str | None) -> None:
        super().__init__(
            f"Memo Coach is under maintenance: {message}. Your draft stays in your browser; try again later.",
            details={"retry_after_seconds": retry_after, "until": until},
        )
        self.retry_after = retry_after


def refuse_during_maintenance(request: Request, db: DbSession) -> None:
    """A route dependency for writes by writers. Anonymous callers fall through to the route's own
    sign-in check, so the answer to them stays 401."""
    now = utcnow()
    state = maintenance_state(db, now)
    if not state.active:
        return
    user = user_for_token(db, session_token(request))
    if user is None or Role(user.role).includes(Role.operator):
        return
    raise UnderMaintenance(state.message, state.retry_after(now), state.until.isoformat() if state.until else None)
