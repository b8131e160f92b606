"""The one evaluation of a rule, shared by the live evaluator and the history replay.

A value is combined over the window; the rule holds when the value passes the threshold; it fires
once it has held for `for_seconds` and clears the first time it no longer holds (Prometheus' rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from memo_coach.incidents.models import FIRING, INACTIVE, PENDING


def aggregate(values: Sequence[float], how: str) -> float | None:
    if not values:
        return None
    if how == "mean":
        return sum(values) / len(values)
    if how == "max":
        return max(values)
    if how == "min":
        return min(values)
    return values[-1]


class Step(NamedTuple):  # a tuple, not a dataclass: the replay makes one per step, 170,000 for 30 days
    state: str
    since: datetime | None
    transition: str | None  # "fired", "cleared" or None


def step(state: str, since: datetime | None, holds: bool, now: datetime, for_seconds: float) -> Step:
    """The next state of a rule that was `state` since `since`, given whether it holds at `now`."""
    if not holds:
        return Step(INACTIVE, None, "cleared" if state == FIRING else None)
    if state == FIRING:
        return Step(FIRING, since, None)
    started = since if state == PENDING and since is not None else now
    if (now - started).total_seconds() >= for_seconds:
        return Step(FIRING, now, "fired")
    return Step(PENDING, started, None)
