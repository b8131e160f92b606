"""Request metrics and the access log as plain ASGI middleware (inside the request-id middleware).

Routes are labelled by their template (`/api/v1/evaluations/{evaluation_id}`), read from
scope["route"] after routing, so labels stay bounded whatever paths clients send.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import inspect as sa_inspect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from memo_coach.observability.metrics import REQUEST_OUTCOME, UNMATCHED_ROUTE, RequestOutcome, observe_request

access_log = logging.getLogger("memo_coach.access")
# Probes poll these every few seconds; their successes would drown the log (they are still counted).
QUIET_ROUTES = frozenset({"/health", "/health/live", "/health/ready", "/metrics"})


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    return getattr(route, "path", None) or UNMATCHED_ROUTE


def user_id(scope: Scope) -> int | None:
    """The signed-in user's id from its identity key: reading `.id` could reload a detached, expired row."""
    user = scope.get("state", {}).get("user")
    if user is None:
        return None
    identity = sa_inspect(user).identity
    return identity[0] if identity else None


class InstrumentationMiddleware:
    """Times each request, counts it by method, route template and status, and logs one JSON line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        exception: str | None = None
        outcome = RequestOutcome()
        token = REQUEST_OUTCOME.set(outcome)

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        except Exception as exc:
            status, exception = 500, type(exc).__name__
            raise
        finally:
            REQUEST_OUTCOME.reset(token)
            self._record(scope, status, time.perf_counter() - started, exception, outcome.planned)

    @staticmethod
    def _record(scope: Scope, status: int, seconds: float, exception: str | None, planned: bool) -> None:
        route = route_template(scope)
        observe_request(scope["method"], route, status, seconds, exception, planned)
        if status < 400 and route in QUIET_ROUTES:
            return
        fields = {
            "method": scope["method"],
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "user_id": user_id(scope),
        }
        if exception:
            fields["exc_type"] = exception
        if planned:
            fields["planned_maintenance"] = True
        level = logging.ERROR if status >= 500 and not planned else logging.INFO
        access_log.log(level, "request", extra=fields)
