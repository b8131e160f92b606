"""Holds writes off during maintenance, for the whole app: every POST, PUT, PATCH and DELETE.

Who may write during maintenance is decided in maintenance/mode/writes.py; this applies it to requests.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from memo_coach.auth.sessions import user_for_token
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.mode.writes import refuse_writes
from memo_coach.web.deps import runtime_of, session_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def handles_maintenance_itself(route: Callable) -> Callable:
    """Marks a route whose use case applies the maintenance rule itself (a submission, which gives the
    writer's draft back when refused)."""
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
    with session_scope(runtime_of(request).sessions) as session:
        refuse_during_maintenance(request, session)


def refuse_during_maintenance(request: Request, db: Session) -> None:
    """The maintenance rule (maintenance/mode/writes.py) for whoever sent this request."""
    refuse_writes(db, user_for_token(db, session_token(request)))
