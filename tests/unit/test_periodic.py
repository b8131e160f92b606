"""The periodic-loop helper, with real threads, and the rule that every background loop uses it."""

from __future__ import annotations

import ast
import threading
import time
from pathlib import Path

from memo_coach.periodic import PeriodicLoop

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "memo_coach"
WAIT = 10.0  # generous: these tests wait for events, never for a precise time


class Steps:
    """A step that counts its calls and lets a test wait for the n-th."""

    def __init__(self, fail: bool = False) -> None:
        self.count = 0
        self.fail = fail
        self._reached = threading.Condition()

    def __call__(self) -> None:
        with self._reached:
            self.count += 1
            self._reached.notify_all()
        if self.fail:
            raise RuntimeError("step failed")

    def wait_for(self, n: int) -> bool:
        with self._reached:
            return self._reached.wait_for(lambda: self.count >= n, WAIT)


def test_a_step_that_raises_does_not_end_the_loop(caplog):
    steps = Steps(fail=True)
    loop = PeriodicLoop("failing", 0.001, steps).start()
    try:
        assert steps.wait_for(3)
    finally:
        loop.stop()
    assert not loop.is_alive()
    assert "failing failed" in caplog.text and "RuntimeError: step failed" in caplog.text


def test_stop_waits_for_the_step_in_flight():
    entered, release, finished = threading.Event(), threading.Event(), threading.Event()

    def slow_step() -> None:
        entered.set()
        release.wait(WAIT)
        finished.set()

    loop = PeriodicLoop("slow", 0.001, slow_step, run_first=True).start()
    assert entered.wait(WAIT)
    threading.Timer(0.05, release.set).start()
    loop.stop(timeout=WAIT)
    assert finished.is_set() and not loop.is_alive()


def test_request_stop_ends_run_forever_in_the_callers_thread():
    steps, callers = Steps(), []

    def step() -> None:
        callers.append(threading.current_thread())
        steps()
        if steps.count == 3:
            loop.request_stop()

    loop = PeriodicLoop("foreground", 0.001, step, run_first=True)
    loop.run_forever()
    assert steps.count == 3 and set(callers) == {threading.current_thread()}


def test_a_stop_asked_before_run_forever_is_kept():
    steps = Steps()
    loop = PeriodicLoop("signalled-early", 0.001, steps, run_first=True)
    loop.request_stop()
    loop.run_forever()
    assert steps.count == 0


def test_the_first_step_waits_one_interval_unless_run_first():
    later, now = Steps(), Steps()
    waiting = PeriodicLoop("later", 60, later).start()
    at_once = PeriodicLoop("at-once", 60, now, run_first=True).start()
    try:
        assert now.wait_for(1)
        assert later.count == 0
    finally:
        waiting.stop()
        at_once.stop()
    assert later.count == 0 and now.count == 1  # a stop cuts the wait short, never a step


def test_the_interval_is_respected_and_may_change_from_the_step():
    steps = Steps()

    def step() -> None:
        steps()
        loop.interval_seconds = 60  # as the rule evaluator does when monitoring.yaml changes

    loop = PeriodicLoop("slowing-down", 0.001, step, run_first=True)
    loop.start()
    try:
        assert steps.wait_for(1)
        time.sleep(0.1)  # a hundred of the old intervals
    finally:
        loop.stop()
    assert steps.count == 1


def test_it_starts_again_after_a_stop():
    steps = Steps()
    loop = PeriodicLoop("restarted", 0.001, steps, run_first=True)
    for _ in range(2):  # as the app's lifespan may run twice in one process
        steps.count = 0
        loop.start()
        assert loop.start() is loop  # while it runs, a second start changes nothing
        assert steps.wait_for(3)
        loop.stop()
        assert not loop.is_alive()


def test_a_step_may_end_its_own_loop_and_a_start_right_after_runs_anew():
    steps = Steps()

    def step() -> None:
        steps()
        loop.request_stop()  # as lease renewal does when no job runs any more

    loop = PeriodicLoop("self-ending", 0.001, step)
    loop.start()
    assert steps.wait_for(1)
    loop.start()  # even while the old thread may still be on its way out
    assert steps.wait_for(2)
    loop.stop()


def _hand_written_loops(path: Path) -> list[str]:
    """Where a module builds its own stop flag or loops on one, instead of using PeriodicLoop."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module == "threading":
            found += [f"line {node.lineno}: from threading import Event" for a in node.names if a.name == "Event"]
        elif isinstance(node, ast.Attribute) and ast.unparse(node) == "threading.Event":
            found.append(f"line {node.lineno}: threading.Event")
        elif isinstance(node, ast.While) and isinstance(node.test, ast.UnaryOp) and isinstance(node.test.op, ast.Not):
            call = node.test.operand
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr in ("wait", "is_set")
            ):
                found.append(f"line {node.lineno}: while not {ast.unparse(call)}")
    return found


def test_every_background_loop_uses_the_periodic_helper():
    found = {
        str(path.relative_to(PACKAGE)): loops
        for path in PACKAGE.rglob("*.py")
        if path.name != "periodic.py" and (loops := _hand_written_loops(path))
    }
    assert found == {}, "run background loops with memo_coach.periodic.PeriodicLoop"
