"""The offline analyzer in a process of its own, beside the web server.

Analysis is pure Python CPU work (regex scans and syllable counts, a few milliseconds a memo), and a
Python process runs on one core at a time (the GIL): under a burst of submissions the analysis and
the web work (HTTP, sign-in checks, database writes) took turns on one core while the machine's other
core idled. The server hands each analysis to a child process instead and keeps serving meanwhile.
The child holds the pronouncing dictionary, so the server itself stays smaller.

A child is a plain `python -m ...analysis_child` talking over its standard input and output: when
the server dies, even by kill -9, the pipe closes and the child ends. Should a child die, hang or
fail to start, that memo is analysed in the server's own process and a new child is started for the
next one: an evaluation never fails because of where it was computed.
"""

from __future__ import annotations

import logging
import os
import pickle
import queue
import select
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from memo_coach.coaching.offline.analysis_child import HEADER, RUBRICS_KEPT
from memo_coach.coaching.offline.analyzer import OfflineEvaluator
from memo_coach.coaching.result import Evaluated
from memo_coach.coaching.rubric import Rubric

log = logging.getLogger(__name__)
# Far beyond the largest memo's analysis (well under a second) or a child's start (about one).
TIMEOUT_SECONDS = 30.0
# How long a memo may wait in the queue and be analysed; past it, it is analysed in the server.
QUEUE_TIMEOUT_SECONDS = 60.0
START_RETRY_SECONDS = 10.0  # after a child failed to start, memos are analysed here meanwhile


class ChildFailed(Exception):
    """The child died, hung or answered nonsense: the memo is analysed here instead."""


class AnalysisError(RuntimeError):
    """The analyzer itself failed on this memo (in the child); the evaluation fails as it would here."""


class Child:
    """One analysis process; one memo at a time."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "memo_coach.coaching.offline.analysis_child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        if self._read(time.monotonic() + TIMEOUT_SECONDS) != "ready":
            self.kill()
            raise ChildFailed("the analysis process did not start")

    def ask(self, memo: str, pickled_rubric: bytes) -> Evaluated:
        body = pickle.dumps((memo, pickled_rubric), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.process.stdin.write(HEADER.pack(len(body)) + body)
            self.process.stdin.flush()
        except OSError as exc:
            raise ChildFailed(f"writing to the analysis process: {exc}") from exc
        answer = self._read(time.monotonic() + TIMEOUT_SECONDS)
        if not (isinstance(answer, tuple) and len(answer) == 2):
            raise ChildFailed(f"the analysis process answered {type(answer).__name__}")
        status, value = answer
        if status == "error":
            raise AnalysisError(value)
        return value

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()

    def _read(self, deadline: float) -> object:
        (size,) = HEADER.unpack(self._exactly(HEADER.size, deadline))
        return pickle.loads(self._exactly(size, deadline))

    def _exactly(self, size: int, deadline: float) -> bytes:
        fd, chunks, left = self.process.stdout.fileno(), [], size
        while left:
            if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
                raise ChildFailed("the analysis process did not answer in time")
            chunk = os.read(fd, left)
            if not chunk:
                raise ChildFailed("the analysis process ended")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


class AnalysisProcess:
    """The Evaluator protocol, answered by `processes` child processes (0: in this process).

    Memos wait in one first-come-first-served queue; a thread per child hands them over one at a time
    (a child per waiting thread, taken from a pool, served them in whatever order the threads woke)."""

    provider = OfflineEvaluator.provider
    model = OfflineEvaluator.model

    def __init__(self, processes: int = 1) -> None:
        self.processes = processes
        self._jobs: queue.SimpleQueue[tuple[str, bytes, Future] | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._feeders: list[threading.Thread] = []
        self._here: OfflineEvaluator | None = None  # the fallback, built only when first needed
        self._trouble: str | None = None  # why memos are analysed in the server now, for the health check
        # Pickling the rubric for every memo cost more than sending the memo; it changes rarely.
        self._pickled: dict[int, tuple[Rubric, bytes]] = {}

    def start(self) -> None:
        """Starts the children in the background (the server does at start-up), so the first memos
        rarely wait for one; the server is ready meanwhile."""
        with self._lock:
            while len(self._feeders) < self.processes:
                feeder = threading.Thread(target=self._feed_one_child, name="analysis-feeder", daemon=True)
                feeder.start()
                self._feeders.append(feeder)

    def evaluate(self, memo: str, rubric: Rubric, prompts=None) -> Evaluated:
        if self.processes:
            self.start()
            answer: Future[Evaluated] = Future()
            self._jobs.put((memo, self._pickle(rubric), answer))
            try:
                return answer.result(timeout=QUEUE_TIMEOUT_SECONDS)
            except (ChildFailed, FutureTimeout) as exc:
                log.warning("the analysis process failed (%s); analysing in the server process", exc)
        return self._in_this_process().evaluate(memo, rubric, prompts)

    def state(self) -> dict:
        """How many children should run, and why memos are analysed in the server instead, if they are."""
        return {"processes": self.processes, "trouble": self._trouble}

    def close(self) -> None:
        with self._lock:
            feeders, self._feeders = self._feeders, []
        for _ in feeders:
            self._jobs.put(None)

    def _feed_one_child(self) -> None:
        child, failed_at = self._start_child(-START_RETRY_SECONDS)  # at once: the first memo need not wait
        while (job := self._jobs.get()) is not None:
            memo, pickled_rubric, answer = job
            if not answer.set_running_or_notify_cancel():
                continue
            if child is None and time.monotonic() - failed_at >= START_RETRY_SECONDS:
                child, failed_at = self._start_child(failed_at)
            if child is None:
                answer.set_exception(ChildFailed("no analysis process is running"))
                continue
            try:
                answer.set_result(child.ask(memo, pickled_rubric))
            except ChildFailed as exc:
                child.kill()
                child = None  # the next memo starts a new one
                self._trouble = str(exc)
                answer.set_exception(exc)
            except Exception as exc:
                answer.set_exception(exc)
        if child is not None:
            child.kill()

    def _start_child(self, failed_at: float) -> tuple[Child | None, float]:
        """A new child, or None and the time it failed."""
        try:
            child = Child()
        except (ChildFailed, OSError) as exc:
            log.warning("could not start an analysis process: %s", exc)
            self._trouble = f"could not start: {exc}"
            return None, time.monotonic()
        self._trouble = None
        return child, failed_at

    def _pickle(self, rubric: Rubric) -> bytes:
        with self._lock:
            kept = self._pickled.get(id(rubric))  # the entry holds the rubric, so its id is not reused
            if kept is None:
                if len(self._pickled) >= RUBRICS_KEPT:
                    self._pickled.clear()
                kept = self._pickled[id(rubric)] = (rubric, pickle.dumps(rubric))
            return kept[1]

    def _in_this_process(self) -> OfflineEvaluator:
        with self._lock:
            if self._here is None:
                self._here = OfflineEvaluator(background_load=False)
            return self._here
