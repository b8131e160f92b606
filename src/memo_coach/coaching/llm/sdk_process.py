"""LLM calls go out through a child process of their own, which alone imports the provider's SDK.

Why: an SDK is large (anthropic 2.x adds about 45 MB to a process, openai about 15 MB: thousands of
typed models), and every web worker would carry it, at rest too. The child holds it once, and waits
for slow models with async tasks rather than the server's threads (see sdk_child.py).

The child is a plain `python -m ...sdk_child` talking JSON lines over its standard input and output,
one per process, started on the first call. Should it die, hang or fail to start, the calls in
flight fail as retryable LLM errors (the client retries them, the evaluator falls back to the offline
analyzer) and the next call starts a new child. When the server dies, even by kill -9, the pipe
closes and the child ends.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import logging
import os
import subprocess
import sys
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from memo_coach.coaching.llm.errors import LLMError

log = logging.getLogger(__name__)
START_SECONDS = 30.0  # importing an SDK takes one to two seconds on a slow machine
# Beyond a call's own timeout, which the child enforces: longer means the child is stuck, not the model.
# It also covers the child's first call importing the SDK (one to three seconds).
GRACE_SECONDS = 10.0


class _Child:
    """One running child and the calls waiting for its answers."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "memo_coach.coaching.llm.sdk_child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        self.waiting: dict[int, Future] = {}
        self.lock = threading.Lock()
        self.ready: Future = Future()
        threading.Thread(target=self._read, name="llm-answers", daemon=True).start()

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, request: dict) -> Future:
        answer: Future = Future()
        line = json.dumps(request).encode() + b"\n"
        with self.lock:
            if not self.alive():
                raise LLMError("the LLM process ended", retryable=True)
            self.waiting[request["id"]] = answer
            try:
                self.process.stdin.write(line)
                self.process.stdin.flush()
            except OSError as exc:
                self.waiting.pop(request["id"], None)
                raise LLMError(f"the LLM process could not be reached: {exc}", retryable=True) from exc
        return answer

    def forget(self, request_id: int) -> None:
        with self.lock:
            self.waiting.pop(request_id, None)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        with contextlib.suppress(OSError):  # a write cut short by the kill may fail to flush
            self.process.stdin.close()

    def _read(self) -> None:
        for line in self.process.stdout:
            try:
                answer = json.loads(line)
            except ValueError:
                continue
            if answer.get("ready"):
                self.ready.set_result(True)
                continue
            with self.lock:
                waiting = self.waiting.pop(answer.get("id"), None)
            if waiting is not None:
                waiting.set_result(answer)
        # The child ended: whoever still waits gets a retryable error now, not at their timeout.
        self.process.wait()
        ended = LLMError(f"the LLM process ended (exit status {self.process.returncode})", retryable=True)
        with self.lock:
            waiting, self.waiting = list(self.waiting.values()), {}
        if not self.ready.done():
            self.ready.set_exception(ended)
        for answer in waiting:
            answer.set_exception(ended)
        self.process.stdout.close()


class SDKProcess:
    """The one LLM process of this process; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._child: _Child | None = None
        self._owner = os.getpid()  # a forked process starts a child of its own
        self._ids = itertools.count(1)

    def call(self, op: str, client: dict, timeout: float, call: dict | None = None, timeout_note: str = "") -> str:
        """The answer text of one call ("send", or "probe": ""), or LLMError. `client` names the provider,
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
            self._replace(child, f"it gave no answer within {timeout + GRACE_SECONDS:.0f} s")
            raise LLMError(f"{client['provider']}: the LLM process did not answer", retryable=True) from None
        if "error" in reply:
            raise LLMError(**reply["error"])
        return reply["text"]

    def pid(self) -> int | None:
        child = self._child
        return child.process.pid if child and child.alive() else None

    def close(self) -> None:
        with self._lock:
            child, self._child = self._child, None
        if child is not None:
            child.kill()

    def _running(self) -> _Child:
        with self._lock:
            if self._owner != os.getpid():
                self._child, self._owner = None, os.getpid()
            if self._child is None or not self._child.alive():
                try:
                    child = _Child()
                except OSError as exc:
                    raise LLMError(f"the LLM process could not be started: {exc}", retryable=True) from exc
                self._child = child
            child = self._child
        try:
            child.ready.result(timeout=START_SECONDS)
        except FutureTimeout:
            self._replace(child, "it did not start in time")
            raise LLMError("the LLM process did not start in time", retryable=True) from None
        return child

    def _replace(self, child: _Child, why: str) -> None:
        """Kills a stuck child; the next call starts another."""
        log.warning("restarting the LLM process: %s", why)
        with self._lock:
            if self._child is child:
                self._child = None
        child.kill()


_PROCESS = SDKProcess()
atexit.register(_PROCESS.close)


def sdk_process() -> SDKProcess:
    return _PROCESS
