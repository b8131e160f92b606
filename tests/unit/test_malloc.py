"""The web process's malloc settings: two arenas unless the operator chose, and a trimming thread."""

import threading

import pytest

from memo_coach import malloc

glibc = pytest.mark.skipif(malloc._glibc() is None, reason="glibc only")


@glibc
def test_it_caps_the_arenas_unless_the_operator_chose(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert malloc.limit_arenas() == malloc.ARENAS
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert malloc.limit_arenas() is None


@glibc
def test_the_trimmer_runs_in_a_thread_until_stopped():
    trimmer = malloc.Trimmer(seconds=0.01).start()
    assert any(t.name == "malloc-trim" for t in threading.enumerate())
    trimmer.stop()
    assert not any(t.name == "malloc-trim" and t.is_alive() for t in threading.enumerate())


@glibc
def test_a_trim_hands_freed_memory_back():
    blocks = [bytearray(100_000) for _ in range(500)]  # in malloc's heap, below the mmap threshold
    del blocks[::2]  # holes the heap keeps until trimmed
    assert malloc.Trimmer().trim() is True
