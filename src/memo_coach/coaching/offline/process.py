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
import pickle
import queue
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from memo_coach.child_process import PICKLE_FRAMES, Child, ChildFailed, ChildSlot
from memo_coach.coaching.offline.analysis_child import RUBRICS_KEPT
from memo_coach.coaching.offline.analyzer import OfflineEvaluator
from memo_coach.coaching.result import Evaluated
from memo_coach.coaching.rubric import Rubric

log = logging.getLogger(__name__)
# Far beyond the largest memo's analysis (well under a second) or a child's start (about one).
TIMEOUT_SECONDS = 30.0
# How long a memo may wait in the queue and be analysed; past it, it is analysed in the server.
QUEUE_TIMEOUT_SECONDS = 60.0
START_RETRY_SECONDS = 10.0  # after a child failed to start, memos are analysed here meanwhile


class AnalysisError(RuntimeError):
    """The analyzer itself failed on this memo (in the child); the evaluation fails as it would here."""


class _Child(Child):
    """One analysis process; one memo at a time."""

    def __init__(self) -> None:
        super().__init__(
            "memo_coach.coaching.offline.analysis_child", PICKLE_FRAMES, TIMEOUT_SECONDS, "the analysis process"
        )

    def ask(self, memo: str, pickled_rubric: bytes) -> Evaluated:
        self.write((memo, pickled_rubric))
        answer = self.read(time.monotonic() + TIMEOUT_SECONDS)
        if not (isinstance(answer, tuple) and len(answer) == 2):
            raise ChildFailed(f"the analysis process answered {type(answer).__name__}")
        status, value = answer
        if status == "error":
            raise AnalysisError(value)
        return value


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
        slot = ChildSlot(_Child, retry_seconds=START_RETRY_SECONDS)
        self._child(slot)  # at once: the first memo need not wait
        while (job := self._jobs.get()) is not None:
            memo, pickled_rubric, answer = job
            if answer.set_running_or_notify_cancel():
                self._answer(slot, memo, pickled_rubric, answer)
        slot.close()

    def _answer(self, slot: ChildSlot[_Child], memo: str, pickled_rubric: bytes, answer: Future) -> None:
        if (child := self._child(slot)) is None:
            answer.set_exception(ChildFailed("no analysis process is running"))
            return
        try:
            answer.set_result(child.ask(memo, pickled_rubric))
        except ChildFailed as exc:
            slot.discard(child)  # the next memo starts a new one
            self._trouble = str(exc)
            answer.set_exception(exc)
        except Exception as exc:
            answer.set_exception(exc)

    def _child(self, slot: ChildSlot[_Child]) -> _Child | None:
        """The slot's child, or None while it cannot start (memos are analysed here meanwhile)."""
        try:
            child = slot.get()
        except ChildFailed as exc:
            self._trouble = str(exc)
            return None
        self._trouble = None
        return child

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
