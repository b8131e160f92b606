"""A thread-safe circuit breaker: stop calling a failing provider, then probe it with one trial call."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"


class CircuitBreaker:
    """Opens after `failure_threshold` consecutive failures; after `reset_seconds` lets one trial call through.

    A successful trial closes it, a failed one opens it again for another `reset_seconds`.
    """

    def __init__(
        self,
        failure_threshold: int = 5,
        reset_seconds: float = 30,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if reset_seconds <= 0:
            raise ValueError("reset_seconds must be positive")
        self.failure_threshold = failure_threshold
        self.reset_seconds = reset_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._state = CLOSED
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_started_at: float | None = None

    @property
    def state(self) -> str:
        """closed, open or half_open (open whose reset time has passed reads as half_open)."""
        with self._lock:
            if self._state == OPEN and self._reset_elapsed():
                return HALF_OPEN
            return self._state

    def allow(self) -> bool:
        """Whether a call may go out now; in half_open only one trial call at a time is allowed."""
        with self._lock:
            if self._state == CLOSED:
                return True
            if self._state == OPEN:
                if not self._reset_elapsed():
                    return False
                self._state = HALF_OPEN
                return self._start_trial()
            # half_open: a trial is in flight. If it never reported back (its caller died),
            # let another trial through once it is older than reset_seconds so we never stick.
            if self._trial_started_at is not None and self._clock() - self._trial_started_at < self.reset_seconds:
                return False
            return self._start_trial()

    def record_success(self) -> None:
        with self._lock:
            self._state = CLOSED
            self._failures = 0
            self._opened_at = None
            self._trial_started_at = None

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._state == HALF_OPEN or self._failures >= self.failure_threshold:
                self._state = OPEN
                self._opened_at = self._clock()
                self._trial_started_at = None

    def retry_in(self) -> float | None:
        """Seconds until the next trial call is allowed, None when not open."""
        with self._lock:
            if self._state != OPEN or self._opened_at is None:
                return None
            return max(0.0, self.reset_seconds - (self._clock() - self._opened_at))

    def snapshot(self) -> dict:
        """State for health checks: state, consecutive failures, opened_at (monotonic clock) and threshold."""
        state = self.state
        with self._lock:
            return {
                "state": state,
                "consecutive_failures": self._failures,
                "failure_threshold": self.failure_threshold,
                "opened_at": self._opened_at,
                "reset_seconds": self.reset_seconds,
            }

    def _reset_elapsed(self) -> bool:
        return self._opened_at is not None and self._clock() - self._opened_at >= self.reset_seconds

    def _start_trial(self) -> bool:
        self._trial_started_at = self._clock()
        return True
