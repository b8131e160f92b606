"""The one state machine live evaluation and replay share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from memo_coach.incidents.models import FIRING, INACTIVE, PENDING
from memo_coach.incidents.rules import aggregate, step

T = datetime(2026, 1, 1, tzinfo=UTC)


def test_it_waits_for_the_for_duration_then_fires_once_and_clears_once():
    s = step(INACTIVE, None, True, T, 30)
    assert (s.state, s.transition) == (PENDING, None)
    s = step(s.state, s.since, True, T + timedelta(seconds=15), 30)
    assert (s.state, s.transition) == (PENDING, None)
    s = step(s.state, s.since, True, T + timedelta(seconds=30), 30)
    assert (s.state, s.transition) == (FIRING, "fired")
    s = step(s.state, s.since, True, T + timedelta(seconds=45), 30)
    assert (s.state, s.transition) == (FIRING, None)
    s = step(s.state, s.since, False, T + timedelta(seconds=60), 30)
    assert (s.state, s.transition) == (INACTIVE, "cleared")


def test_a_pending_rule_that_stops_holding_starts_over():
    s = step(INACTIVE, None, True, T, 30)
    s = step(s.state, s.since, False, T + timedelta(seconds=15), 30)
    assert (s.state, s.transition) == (INACTIVE, None)
    s = step(s.state, s.since, True, T + timedelta(seconds=30), 30)
    assert s.since == T + timedelta(seconds=30)


def test_aggregates():
    assert aggregate([1.0, 2.0, 6.0], "mean") == 3.0
    assert aggregate([1.0, 2.0, 6.0], "min") == 1.0
    assert aggregate([1.0, 6.0, 2.0], "last") == 2.0
    assert aggregate([], "max") is None
