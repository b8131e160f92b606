"""A bounded, first-come-first-served queue for evaluations in one process.

Past capacity a writer is better served by an immediate, honest "busy, retry in N seconds" than by a
request that waits behind hundreds of others and times out: so `workers` evaluations run at once,
`size` more wait in arrival order (the executor's queue is FIFO), and the next is refused with
`Overloaded` (503 with Retry-After) before anything is stored.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from memo_coach.errors import AppError

EWMA_WEIGHT = 0.2  # how fast the Retry-After estimate follows a change in evaluation times


class Overloaded(AppError):
    status = 503
    code = "overloaded"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"The server is evaluating as many memos as it can; nothing was stored. Try again in {retry_after} s.",
            details={"retry_after_seconds": retry_after},
        )
        self.retry_after = retry_after


class AdmissionQueue:
    """Runs evaluations on `workers` threads with at most `size` waiting; refuses the rest at once."""

    def __init__(self, workers: int, size: int) -> None:
        self.workers = workers
        self.size = size
        self._pool: ThreadPoolExecutor | None = None  # started on first use, again after close (app restarts)
        self._lock = threading.Lock()
        self._taken = 0  # reserved: running, waiting, or about to be stored and handed over
        self._mean_seconds = 0.05

    @property
    def taken(self) -> int:
        return self._taken

    def reserve(self) -> None:
        """A place in the queue, or `Overloaded` with how long the queue ahead takes to drain."""
        with self._lock:
            if self._taken >= self.workers + self.size:
                waves = self._taken / self.workers
                raise Overloaded(max(1, math.ceil(waves * self._mean_seconds)))
            self._taken += 1

    def release(self) -> None:
        with self._lock:
            self._taken -= 1

    def run(self, fn: Callable[..., object], *args: object) -> Future:
        """Runs `fn` in a reserved place (reserve first); the place is freed when it ends."""

        def timed() -> object:
            started = time.monotonic()
            try:
                return fn(*args)
            finally:
                seconds = time.monotonic() - started
                with self._lock:
                    self._mean_seconds += EWMA_WEIGHT * (seconds - self._mean_seconds)
                    self._taken -= 1

        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="evaluation")
            pool = self._pool
        try:
            return pool.submit(timed)
        except RuntimeError:  # closed meanwhile: nothing runs, the place is free again
            self.release()
            raise

    def close(self) -> None:
        """Stops taking work; queued jobs stay pending in the database and are taken over later."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
