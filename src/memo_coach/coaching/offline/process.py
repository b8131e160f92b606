"""The offline analyzer in a process of its own, beside the web server.

Analysis is pure Python CPU work (regex scans and syllable counts, a few milliseconds a memo), and a
Python process runs on one core at a time (the GIL): under a burst of submissions the analysis and
the web work (HTTP, sign-in checks, database writes) took turns on one core while the machine's other
core idled. The server hands each analysis to a child process instead, in arrival order, and keeps
serving meanwhile. The child holds the pronouncing dictionary, so the server itself stays smaller.

Should the child die or fail to start, that memo is analysed in the server's own process and a new
child is started for the next one: an evaluation never fails because of where it was computed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from memo_coach.coaching.offline.analyzer import OfflineEvaluator
from memo_coach.coaching.offline.readability import ensure_dictionary
from memo_coach.coaching.result import Evaluated
from memo_coach.coaching.rubric import Rubric

log = logging.getLogger(__name__)
# Far beyond the largest memo's analysis (well under a second); past it the child is presumed stuck.
ANALYSIS_TIMEOUT_SECONDS = 30.0
PARENT_CHECK_SECONDS = 1.0
RUBRICS_KEPT = 4  # pickled rubrics the server keeps, and unpickled ones the child keeps
_in_child: OfflineEvaluator | None = None
_rubrics_in_child: dict[bytes, Rubric] = {}


def _start_child() -> None:
    global _in_child
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), name="parent-watch", daemon=True).start()
    ensure_dictionary()
    _in_child = OfflineEvaluator(background_load=False)


def _exit_with_parent(parent: int) -> None:
    """A server killed with -9 cannot stop its child, and the child, holding its own end of the work
    queue, would wait for work forever: it leaves once it has been handed to another parent."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _analyse(memo: str, pickled_rubric: bytes) -> Evaluated:
    rubric = _rubrics_in_child.get(pickled_rubric)
    if rubric is None:
        if len(_rubrics_in_child) >= RUBRICS_KEPT:
            _rubrics_in_child.clear()
        rubric = _rubrics_in_child[pickled_rubric] = pickle.loads(pickled_rubric)
    return _in_child.evaluate(memo, rubric)


class AnalysisProcess:
    """The Evaluator protocol, answered by `processes` child processes (0: in this process)."""

    provider = OfflineEvaluator.provider
    model = OfflineEvaluator.model

    def __init__(self, processes: int = 1) -> None:
        self.processes = processes
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._here: OfflineEvaluator | None = None  # the fallback, built only when first needed
        # Pickling the rubric for every memo cost more than sending the memo; it changes rarely.
        self._pickled: dict[int, tuple[Rubric, bytes]] = {}

    def start(self) -> None:
        """Starts the child in the background (the server does at start-up), so the first memo rarely
        waits for it; the server is ready meanwhile."""
        if self.processes:
            self._running_pool().submit(int)

    def evaluate(self, memo: str, rubric: Rubric, prompts=None) -> Evaluated:
        if self.processes:
            pool = self._running_pool()
            try:
                return pool.submit(_analyse, memo, self._pickle(rubric)).result(timeout=ANALYSIS_TIMEOUT_SECONDS)
            except (BrokenProcessPool, FutureTimeout, OSError) as exc:
                log.warning("the analysis process failed (%s); analysing in the server process", type(exc).__name__)
                self._discard(pool)
        return self._in_this_process().evaluate(memo, rubric, prompts)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def _pickle(self, rubric: Rubric) -> bytes:
        with self._lock:
            kept = self._pickled.get(id(rubric))  # the entry holds the rubric, so its id is not reused
            if kept is None:
                if len(self._pickled) >= RUBRICS_KEPT:
                    self._pickled.clear()
                kept = self._pickled[id(rubric)] = (rubric, pickle.dumps(rubric))
            return kept[1]

    def _running_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: the server has threads, and a forked child would inherit their locks.
                self._pool = ProcessPoolExecutor(
                    self.processes, mp_context=multiprocessing.get_context("spawn"), initializer=_start_child
                )
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)

    def _in_this_process(self) -> OfflineEvaluator:
        with self._lock:
            if self._here is None:
                self._here = OfflineEvaluator(background_load=False)
            return self._here
