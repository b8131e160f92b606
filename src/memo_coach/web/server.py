"""The HTTP protocol `memo-coach serve` runs: uvicorn's h11 protocol with a deadline for the request head.

uvicorn's default (httptools) has no limit on header size: one client sending a 64 MiB header kept
the single event loop busy for seconds and stalled every other request. h11 refuses a head larger
than `max_incomplete_event_size` (the request line and all headers together, MEMO_COACH_MAX_HEAD_BYTES)
as it arrives. What h11 lacks is a deadline: a client that sends its head a byte at a time
(slowloris) would hold a connection for ever, so this class closes a connection whose head is not
complete within MEMO_COACH_HEAD_TIMEOUT_SECONDS. uvicorn loads it by name (`--http`), like the app.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from memo_coach.settings import get_settings


class BoundedH11Protocol(H11Protocol):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
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
