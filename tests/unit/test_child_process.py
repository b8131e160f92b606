"""The child-process helper, with a real tiny child (tests/support/echo_child.py)."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import threading
import time

import psutil
import pytest

from memo_coach.child_process import JSON_LINES, PICKLE_FRAMES, Child, ChildFailed, ChildSlot

ECHO = "tests.support.echo_child"
WAIT = 20.0  # generous: a start on a busy machine; the tests wait for events, never for a precise time


def _deadline() -> float:
    return time.monotonic() + WAIT


@pytest.fixture
def json_wire(monkeypatch):
    monkeypatch.setenv("ECHO_CHILD_WIRE", "json")


def test_a_child_that_said_it_is_ready_answers_in_pickle_frames_and_stray_prints_never_reach_the_parent():
    child = Child(ECHO, PICKLE_FRAMES, WAIT)
    try:
        assert child.read(_deadline()) == {"pid": child.pid}
        for message in ("text", ("a", b"\x00\xff" * 1000), {"nested": [1, 2.5, None]}):
            child.write(message)
            assert child.read(_deadline()) == message
    finally:
        child.kill()
    assert not child.alive()


def test_a_listener_gets_every_json_line_even_one_sent_right_after_ready_then_the_end(json_wire):
    child = Child(ECHO, JSON_LINES, WAIT)
    messages, ended = [], threading.Event()
    statuses = []
    child.listen(messages.append, lambda status: (statuses.append(status), ended.set()), name="echo-answers")
    child.write({"id": 1})
    child.write({"id": 2})
    while len(messages) < 3 and child.alive():
        time.sleep(0.01)
    assert messages == [{"pid": child.pid}, {"id": 1}, {"id": 2}]
    os.kill(child.pid, signal.SIGKILL)
    assert ended.wait(WAIT)
    assert statuses == [-signal.SIGKILL]
    with pytest.raises(ChildFailed, match="could not be reached"):
        child.write({"id": 3})
    child.kill()


def test_a_child_that_never_says_it_is_ready_is_killed_after_the_deadline(monkeypatch, tmp_path):
    pidfile = tmp_path / "pid"
    monkeypatch.setenv("ECHO_CHILD_SILENT_PIDFILE", str(pidfile))
    started = time.monotonic()
    with pytest.raises(ChildFailed, match="did not say it was ready within 1 s"):
        Child(ECHO, PICKLE_FRAMES, 1.0, "the echo process")
    assert 1.0 <= time.monotonic() - started < WAIT
    assert not psutil.pid_exists(int(pidfile.read_text()))  # killed and reaped


def test_a_child_ends_when_its_parent_closes_its_standard_input():
    child = Child(ECHO, PICKLE_FRAMES, WAIT)
    child.process.stdin.close()
    assert child.process.wait(WAIT) == 0
    child.process.stdout.close()


def test_a_child_ends_with_its_parent_even_after_kill_9():
    script = f"""
from memo_coach.child_process import PICKLE_FRAMES, Child
print(Child({ECHO!r}, PICKLE_FRAMES, {WAIT}).pid, flush=True)
input()
"""
    parent = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        child = psutil.Process(int(parent.stdout.readline()))
        parent.kill()
        parent.wait(WAIT)
        child.wait(WAIT)  # psutil.TimeoutExpired if it lingered
    finally:
        parent.kill()
        parent.stdin.close()
        parent.stdout.close()


FORKED = f"""
import os
from memo_coach.child_process import PICKLE_FRAMES, Child, ChildSlot
slot = ChildSlot(lambda: Child({ECHO!r}, PICKLE_FRAMES, {WAIT}))
mine = slot.get()
mine.read(10**9)
reader, writer = os.pipe()
fork = os.fork()
if fork == 0:
    seen = slot.pid()
    own = slot.get()
    own.read(10**9)
    own.write("from the fork")
    os.write(writer, repr((seen, own.pid, own.read(10**9))).encode())
    slot.close()
    os._exit(0)
os.close(writer)
forked = os.read(reader, 1000).decode()
os.waitpid(fork, 0)  # it has closed its slot: the parent's child must be untouched
mine.write("from the parent")
print(repr((mine.pid, forked, mine.read(10**9), slot.pid())))
slot.close()
"""


def test_a_forked_process_starts_its_own_child_and_leaves_its_parents_alone():
    done = subprocess.run([sys.executable, "-c", FORKED], capture_output=True, text=True, timeout=60, check=True)
    parents_child, forked, parents_answer, parents_slot_pid = ast.literal_eval(done.stdout)
    seen_in_fork, forks_child, forks_answer = ast.literal_eval(forked)
    assert seen_in_fork is None
    assert forks_child != parents_child and forks_answer == "from the fork"
    assert parents_answer == "from the parent" and parents_slot_pid == parents_child


class Starts:
    """A start function that fails while `failing` is set, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.failing = True

    def __call__(self):
        self.calls += 1
        if self.failing:
            raise ChildFailed("no room")
        return object()


def test_after_a_failed_start_the_slot_answers_with_that_failure_for_retry_seconds():
    starts = Starts()
    slot = ChildSlot(starts, retry_seconds=60)
    for _ in range(3):
        with pytest.raises(ChildFailed, match="no room"):
            slot.get()
    assert starts.calls == 1


def test_without_retry_seconds_each_later_get_tries_again_and_a_success_is_kept():
    starts = Starts()
    slot = ChildSlot(starts)
    with pytest.raises(ChildFailed):
        slot.get()
    starts.failing = False
    first = slot.get()
    assert slot.get() is first
    assert starts.calls == 2


def test_callers_that_waited_while_a_start_failed_get_that_failure_without_starting_another():
    release, entered = threading.Event(), threading.Event()
    calls = []

    def slow_failing_start():
        calls.append(1)
        entered.set()
        release.wait(WAIT)
        raise ChildFailed("did not start")

    slot = ChildSlot(slow_failing_start)
    errors = []

    def get() -> None:
        try:
            slot.get()
        except ChildFailed as exc:
            errors.append(exc)

    first = threading.Thread(target=get)
    first.start()
    entered.wait(WAIT)
    waiting = [threading.Thread(target=get) for _ in range(3)]
    for thread in waiting:
        thread.start()
    time.sleep(0.1)  # let them queue on the slot
    release.set()
    for thread in [first, *waiting]:
        thread.join(WAIT)
    assert len(errors) == 4 and len(calls) == 1
