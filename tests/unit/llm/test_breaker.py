"""The circuit breaker: closed -> open after N failures -> half_open after the reset time -> closed or open."""

import threading

import pytest

from memo_coach.coaching.llm.breaker import CircuitBreaker
from tests.support.helpers import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1000.0)


def open_breaker(clock: FakeClock, threshold: int = 3, reset: float = 30) -> CircuitBreaker:
    breaker = CircuitBreaker(failure_threshold=threshold, reset_seconds=reset, clock=clock)
    for _ in range(threshold):
        assert breaker.allow()
        breaker.record_failure()
    return breaker


def test_it_starts_closed_and_allows_calls(clock):
    breaker = CircuitBreaker(3, 30, clock=clock)
    assert breaker.state == "closed"
    assert breaker.allow()


def test_it_stays_closed_below_the_threshold(clock):
    breaker = CircuitBreaker(3, 30, clock=clock)
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.state == "closed"
    assert breaker.allow()


def test_a_success_resets_the_consecutive_failure_count(clock):
    breaker = CircuitBreaker(3, 30, clock=clock)
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.state == "closed"


def test_it_opens_after_threshold_failures_and_refuses(clock):
    breaker = open_breaker(clock)
    assert breaker.state == "open"
    assert not breaker.allow()
    assert breaker.retry_in() == pytest.approx(30)


def test_it_stays_open_until_the_reset_time(clock):
    breaker = open_breaker(clock)
    clock.now += 29.9
    assert not breaker.allow()


def test_it_lets_exactly_one_trial_through_after_the_reset_time(clock):
    breaker = open_breaker(clock)
    clock.now += 30
    assert breaker.state == "half_open"
    assert breaker.allow()  # the trial call
    assert not breaker.allow()  # others wait for the trial's outcome
    assert breaker.state == "half_open"


def test_a_successful_trial_closes_it(clock):
    breaker = open_breaker(clock)
    clock.now += 30
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state == "closed"
    assert breaker.snapshot()["consecutive_failures"] == 0
    assert breaker.allow() and breaker.allow()


def test_a_failed_trial_reopens_it_for_another_reset_period(clock):
    breaker = open_breaker(clock)
    clock.now += 30
    assert breaker.allow()
    breaker.record_failure()
    assert breaker.state == "open"
    assert not breaker.allow()
    clock.now += 30
    assert breaker.allow()


def test_a_trial_that_never_reports_back_does_not_block_forever(clock):
    breaker = open_breaker(clock)
    clock.now += 30
    assert breaker.allow()  # this caller dies without recording
    clock.now += 30
    assert breaker.allow()


def test_snapshot_reports_state_failures_and_opened_at(clock):
    breaker = open_breaker(clock, threshold=2)
    assert breaker.snapshot() == {
        "state": "open",
        "consecutive_failures": 2,
        "failure_threshold": 2,
        "opened_at": 1000.0,
        "reset_seconds": 30,
    }


def test_it_refuses_nonsense_settings():
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=0)
    with pytest.raises(ValueError):
        CircuitBreaker(reset_seconds=0)


def test_concurrent_callers_get_one_trial_only(clock):
    breaker = open_breaker(clock)
    clock.now += 30
    allowed = []
    barrier = threading.Barrier(16)

    def call() -> None:
        barrier.wait()
        allowed.append(breaker.allow())

    threads = [threading.Thread(target=call) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert allowed.count(True) == 1
