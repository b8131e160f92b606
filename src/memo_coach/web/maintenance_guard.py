"""Holds writes off during maintenance, for the whole app: every POST, PUT, PATCH and DELETE.

Planned maintenance refuses writes by writers (and support); operators pass, and so does signing in.
A restore's window is exclusive: every write is refused, signing in too, except the restoring
operator's own, so nothing lands in a database that is about to be replaced. Refusals are 503 with
Retry-After.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from memo_coach.auth.roles import Role
from memo_coach.auth.sessions import user_for_token
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.errors import Unavailable
from memo_coach.maintenance.mode.service import maintenance_state
from memo_coach.web.deps import session_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UnderMaintenance(Unavailable):
    code = "maintenance"

    def __init__(self, message: str, retry_after: int, until: str | None) -> None:
        super().__init__(
            f"Memo Coach is under maintenance: {message}. Your draft stays in your browser; try again later.",
            details={"retry_after_seconds": retry_after, "until": until},
        )
        self.retry_after = retry_after


def handles_maintenance_itself(route: Callable) -> Callable:
    """Marks a route that calls `refuse_during_maintenance` itself (to give a writer's draft back)."""
    route.handles_maintenance = True  # type: ignore[attr-defined]
    return route


async def guard_writes(request: Request) -> None:
    """The app-wide dependency: reads pass; writes go through `refuse_during_maintenance`.

    Async and without a session of the request's, so that a read (most requests, /health among
    them) passes without a trip to the thread pool or a session to open and end."""
    if request.method in SAFE_METHODS:
        return
    route = request.scope.get("route")
    if getattr(getattr(route, "endpoint", None), "handles_maintenance", False):
        return
    await run_in_threadpool(_refuse, request)


def _refuse(request: Request) -> None:
    """In a transaction of its own, ended at once: the route's own dependencies run in other threads."""
    with session_scope(request.app.state.sessions) as session:
        refuse_during_maintenance(request, session)


def refuse_during_maintenance(request: Request, db: Session) -> None:
    """Raises UnderMaintenance when a maintenance window covers now and this caller may not write."""
    now = utcnow()
    state = maintenance_state(db, now)
    if not state.active:
        return
    user = user_for_token(db, session_token(request))
    if state.exclusive_to is not None:
        if user is not None and user.username == state.exclusive_to:
            return
    elif user is None or Role(user.role).includes(Role.operator):
        # Anonymous callers fall through to the route's own sign-in check (401), or sign in.
        return
    raise UnderMaintenance(state.message, state.retry_after(now), state.until.isoformat() if state.until else None)
