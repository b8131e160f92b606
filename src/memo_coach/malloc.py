"""Keeping a web process's memory flat under bursts of threads, on glibc (elsewhere: nothing happens).

Measured with 200 writers against a slow LLM (bench/throughput_bench.py): after the burst about
45 MB sat free inside glibc's malloc arenas, never returned to the system. glibc gives each thread
that allocates its own arena (up to eight per core), and every arena keeps what it once held; a
process that serves requests from tens of threads grows by a few arenas' worth per burst. Two
arenas and a trim every few seconds (the free pages of every arena go back) keep that slack small,
at the cost of a little lock contention inside malloc, which these threads, mostly waiting on the
database or the network, do not feel. An operator's MALLOC_ARENA_MAX in the environment wins.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

from memo_coach.periodic import PeriodicLoop

ARENAS = 2
TRIM_SECONDS = 2.0
M_ARENA_MAX = -8  # mallopt parameter number, from glibc's malloc.h


def _glibc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt, libc.malloc_trim  # noqa: B018 (both exist only in glibc)
    except (OSError, AttributeError, TypeError):
        return None
    return libc


def limit_arenas() -> int | None:
    """Caps the arenas of threads started from now on (call before the thread pools start); the cap
    set, or None where it does not apply (not glibc, or MALLOC_ARENA_MAX already chosen)."""
    libc = _glibc()
    if libc is None or "MALLOC_ARENA_MAX" in os.environ:
        return None
    return ARENAS if libc.mallopt(M_ARENA_MAX, ARENAS) == 1 else None


class Trimmer:
    """A thread that hands malloc's free pages back to the system every `seconds`."""

    def __init__(self, seconds: float = TRIM_SECONDS) -> None:
        self._libc = _glibc()
        self._loop = PeriodicLoop("malloc-trim", seconds, self.trim)

    def start(self) -> Trimmer:
        if self._libc is not None:
            self._loop.start()
        return self

    def trim(self) -> bool:
        """True when memory went back to the system."""
        return bool(self._libc is not None and self._libc.malloc_trim(0))

    def stop(self) -> None:
        self._loop.stop()
