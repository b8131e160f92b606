"""The one shape of every background loop (sampler, rule evaluator, scheduler, lease renewal, ...).

A stop request is looked at between steps, never inside one: a step in flight (a scheduled backup,
a rule pass halfway through its transaction) always finishes. A step that raises is logged and the
next one runs on time, because what fails there is nearly always the database, and it comes back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)
# A step stuck on the database must not hold a shutdown up for ever; the thread is a daemon anyway.
STOP_SECONDS = 10.0


class PeriodicLoop:
    """`step()` every `interval_seconds`, the first time at once (`run_first`) or after one interval.

    The interval is read before each wait, so a loop whose period lives in configuration may change it
    from its step. The step may also end its own loop with `request_stop()`.
    """

    def __init__(
        self, name: str, interval_seconds: float, step: Callable[[], object], *, run_first: bool = False
    ) -> None:
        self.name = name
        self.interval_seconds = interval_seconds
        self._step = step
        self._run_first = run_first
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()

    @property
    def stopping(self) -> bool:
        """Asked to stop: a long step (one running several tasks) checks it to end at a safe point."""
        return self._stop.is_set()

    def is_alive(self) -> bool:
        """The latest thread still runs (one finishing its step after a stop request included)."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> PeriodicLoop:
        """A daemon thread, unless one is running and not asked to stop. Each run has its own stop
        flag, so starting again after a stop (an app whose lifespan runs twice, lease renewal that
        ended when the last job did) does not revive a thread that is still finishing its last step."""
        with self._starting:
            if not self.is_alive() or self._stop.is_set():
                self._stop = threading.Event()
                self._thread = threading.Thread(target=self._loop, args=(self._stop,), name=self.name, daemon=True)
                self._thread.start()
        return self

    def run_forever(self) -> None:
        """The loop in the caller's thread (`memo-coach worker`); a stop requested before it began
        (a SIGTERM during start-up) ends it at once."""
        self._loop(self._stop)

    def request_stop(self) -> None:
        """Without waiting: safe from a signal handler and from the step itself."""
        self._stop.set()

    def stop(self, timeout: float | None = STOP_SECONDS) -> None:
        """Asks, then waits for the step in flight to finish."""
        self.request_stop()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self, stop: threading.Event) -> None:
        if not self._run_first:
            stop.wait(self.interval_seconds)
        while not stop.is_set():
            self._step_once()
            stop.wait(self.interval_seconds)

    def _step_once(self) -> None:
        try:
            self._step()
        except Exception:
            log.exception("%s failed; trying again in %s s", self.name, self.interval_seconds)
