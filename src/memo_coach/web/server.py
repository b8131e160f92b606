"""The HTTP protocol `memo-coach serve` runs: uvicorn's h11 protocol with a deadline for the request head.

uvicorn's default (httptools) has no limit on header size: one client sending a 64 MiB header kept
the single event loop busy for seconds and stalled every other request. h11 refuses a head larger
than `max_incomplete_event_size` (the request line and all headers together, MEMO_COACH_MAX_HEAD_BYTES),
but only while it is incomplete: a head that arrives whole in one read (asyncio reads up to 256 KiB
at a time, and pipelined requests wait whole in the buffer) was parsed whatever its size, so
`BoundedHeadConnection` measures a waiting head before h11 parses it. What h11 lacks is a deadline: a
client that sends its head a byte at a time (slowloris) would hold a connection for ever, so this
class closes a connection whose head is not complete within MEMO_COACH_HEAD_TIMEOUT_SECONDS. uvicorn
loads it by name (`--http`), like the app.
"""

from __future__ import annotations

import asyncio
import re

import h11
from uvicorn.protocols.http.h11_impl import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE, H11Protocol

from memo_coach.settings import get_settings

# How h11 finds the end of a head (h11/_receivebuffer.py): a blank line, with or without its CR.
HEAD_END = re.compile(rb"\n\r?\n")


class BoundedHeadConnection(h11.Connection):
    """h11's connection, refusing a waiting head that does not end within the limit, however it arrived."""

    def __init__(self, max_head_bytes: int) -> None:
        super().__init__(h11.SERVER, max_incomplete_event_size=max_head_bytes)
        self.max_head_bytes = max_head_bytes

    def next_event(self):  # type: ignore[override]
        # The buffer's length first (h11 keeps no public one): copying it on every read of a head
        # dribbled a byte at a time would cost the square of its size.
        if self.their_state is h11.IDLE and len(self._receive_buffer) > self.max_head_bytes:
            waiting, _ = self.trailing_data
            if not HEAD_END.search(waiting, 0, self.max_head_bytes):
                # The same error h11 raises for an incomplete head past the limit: uvicorn answers 400.
                raise h11.RemoteProtocolError("request head too large", error_status_hint=431)
        return super().next_event()


class BoundedH11Protocol(H11Protocol):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.conn = BoundedHeadConnection(
            self.config.h11_max_incomplete_event_size or DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
        )
        self.head_timeout = get_settings().head_timeout_seconds
        self._head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_deadline()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:
            self._arm_head_deadline()  # a head has started (or the next one on a kept-alive connection)
        else:
            self._cancel_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_deadline()
        super().connection_lost(exc)

    def _arm_head_deadline(self) -> None:
        if self._head_deadline is None and not self.transport.is_closing():
            self._head_deadline = self.loop.call_later(self.head_timeout, self._head_too_slow)

    def _cancel_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()
