"""Request context as plain ASGI middleware (cheaper than BaseHTTPMiddleware on every request)."""

from __future__ import annotations

import re
import time
import uuid

import anyio
from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from memo_coach.observability.logs import request_id_var
from memo_coach.web.envelope import error_item, failed

_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class BodyTooLarge(HTTPException):
    """An HTTPException so FastAPI's body parsing re-raises it instead of turning it into a 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit:,} bytes")


class BodyTooSlow(HTTPException):
    """A body that trickles in holds a worker's connection; past the deadline the request is refused."""

    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"the request body did not arrive within {seconds:g} seconds")


class RequestContextMiddleware:
    """Takes X-Request-ID (or makes one), echoes it in the response, caps the number of headers, and
    caps the body's size (whether or not the client sent Content-Length) and the time it takes."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, max_headers: int = 100, body_timeout_seconds: float = 60
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_headers = max_headers
        self.body_timeout = body_timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope["headers"]) > self.max_headers:
            await self._too_many_headers(scope, receive, send)
            return
        headers = dict(scope["headers"])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        declared = headers.get(b"content-length", b"")
        limit = self.max_body_bytes
        declared_too_large = declared.isdigit() and int(declared) > limit
        received = 0
        deadline = time.monotonic() + self.body_timeout

        async def capped_receive() -> Message:
            nonlocal received
            if declared_too_large:
                raise BodyTooLarge(limit)
            with anyio.move_on_after(deadline - time.monotonic()) as waited:
                message = await receive()
            if waited.cancelled_caught:
                raise BodyTooSlow(self.body_timeout)
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
            return message

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, capped_receive, send_with_id)
        finally:
            request_id_var.reset(token)

    async def _too_many_headers(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the request has {len(scope['headers'])} headers; at most {self.max_headers} are accepted"
        response = failed(431, [error_item("too_many_headers", message)])
        await response(scope, receive, send)
