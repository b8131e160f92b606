"""LLM calls go out through a child process of their own, which alone imports the provider's SDK.

Why: an SDK is large (anthropic 2.x adds about 45 MB to a process, openai about 15 MB: thousands of
typed models), and every web worker would carry it, at rest too. The child holds it once, and waits
for slow models with async tasks rather than the server's threads (see sdk_child.py).

The child is a plain `python -m ...sdk_child` talking JSON lines over its standard input and output
(see memo_coach.child_process), started on the first call. Should it die, hang or fail to start, the
calls in flight fail as retryable LLM errors (the client retries them, the evaluator falls back to
the offline analyzer) and the next call starts a new child.
"""

from __future__ import annotations

import itertools
import logging
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from memo_coach.child_process import JSON_LINES, Child, ChildFailed, ChildSlot
from memo_coach.coaching.llm.errors import LLMError

log = logging.getLogger(__name__)
START_SECONDS = 30.0  # importing an SDK takes one to two seconds on a slow machine
# Beyond a call's own timeout, which the child enforces: longer means the child is stuck, not the model.
# It also covers the child's first call importing the SDK (one to three seconds).
GRACE_SECONDS = 10.0


class _Child(Child):
    """The running LLM process and the calls waiting for its answers, matched by id."""

    def __init__(self) -> None:
        super().__init__("memo_coach.coaching.llm.sdk_child", JSON_LINES, START_SECONDS, "the LLM process")
        self._waiting: dict[int, Future] = {}
        self._lock = threading.Lock()
        self.listen(self._answered, self._ended, name="llm-answers")

    def send(self, request: dict) -> Future:
        answer: Future = Future()
        with self._lock:
            if not self.alive():
                raise LLMError("the LLM process ended", retryable=True)
            self._waiting[request["id"]] = answer
            try:
                self.write(request)
            except ChildFailed as exc:
                self._waiting.pop(request["id"], None)
                raise LLMError(str(exc), retryable=True) from exc
        return answer

    def forget(self, request_id: int) -> None:
        with self._lock:
            self._waiting.pop(request_id, None)

    def _answered(self, answer: dict) -> None:
        with self._lock:
            waiting = self._waiting.pop(answer.get("id"), None)
        if waiting is not None:
            waiting.set_result(answer)

    def _ended(self, status: int) -> None:
        ended = LLMError(f"the LLM process ended (exit status {status})", retryable=True)
        with self._lock:
            waiting, self._waiting = list(self._waiting.values()), {}
        for answer in waiting:
            answer.set_exception(ended)


class SDKProcess:
    """The LLM process of whoever composes the app (an EvaluatorChoice makes its own when given
    none), started on the first call; thread-safe. A forked process starts a child of its own."""

    def __init__(self) -> None:
        self._slot: ChildSlot[_Child] = ChildSlot(_Child)
        self._ids = itertools.count(1)

    def call(self, op: str, client: dict, timeout: float, call: dict | None = None, timeout_note: str = "") -> str:
        """The answer text of one call, or LLMError. `client` names the provider,
        key and base URL; `call` holds the SDK call's keyword arguments; `timeout_note` ends the message
        of a timeout."""
        child = self._running()
        request = {"id": next(self._ids), "op": op, "client": client, "timeout": timeout, "call": call}
        request["timeout_note"] = timeout_note
        answer = child.send(request)
        try:
            reply = answer.result(timeout=timeout + GRACE_SECONDS)
        except FutureTimeout:
            child.forget(request["id"])
            log.warning("restarting the LLM process: it gave no answer within %.0f s", timeout + GRACE_SECONDS)
            self._slot.discard(child)
            raise LLMError(f"{client['provider']}: the LLM process did not answer", retryable=True) from None
        if "error" in reply:
            raise LLMError(**reply["error"])
        return reply["text"]

    def pid(self) -> int | None:
        return self._slot.pid()

    def close(self) -> None:
        self._slot.close()

    def _running(self) -> _Child:
        try:
            child = self._slot.get()
            if not child.alive():  # it died since the last call, which failed the calls it held
                self._slot.discard(child)
                child = self._slot.get()
        except ChildFailed as exc:
            raise LLMError(str(exc), retryable=True) from exc
        return child
