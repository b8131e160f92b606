"""Who may write now: the one rule every door applies (the web app to every write, the command line
to what it stores on a writer's behalf, the submission use case to a memo).

Planned maintenance refuses writes by writers (and support); operators pass, and so does signing in.
A restore's window is exclusive: every write is refused, signing in too, except the restoring
operator's own, so nothing lands in a database that is about to be replaced. Refusals are 503 with
Retry-After.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from memo_coach.auth.models import User
from memo_coach.auth.roles import Role
from memo_coach.db.base import utcnow
from memo_coach.errors import Unavailable
from memo_coach.maintenance.mode.service import maintenance_state
from memo_coach.observability.metrics import note_planned_unavailable


class UnderMaintenance(Unavailable):
    code = "maintenance"

    def __init__(self, message: str, retry_after: int, until: str | None) -> None:
        super().__init__(
            f"Memo Coach is under maintenance: {message}. Your draft stays in your browser; try again later.",
            details={"retry_after_seconds": retry_after, "until": until},
        )
        self.retry_after = retry_after


def refuse_writes(session: Session, user: User | None, now: datetime | None = None) -> None:
    """Raises UnderMaintenance when a maintenance window covers now and `user` may not write. An anonymous
    caller passes here: the door's own sign-in check answers it (401), or it is signing in."""
    now = now or utcnow()
    state = maintenance_state(session, now)
    if not state.active:
        return
    if state.exclusive_to is not None:
        if user is not None and user.username == state.exclusive_to:
            return
    elif user is None or Role(user.role).includes(Role.operator):
        return
    note_planned_unavailable()  # a planned 503, counted apart from server errors
    raise UnderMaintenance(state.message, state.retry_after(now), state.until.isoformat() if state.until else None)
