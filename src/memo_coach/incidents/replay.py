"""Trying a rule on your own past: replay the stored metric history with the live evaluation.

The replay steps through the span every `interval_seconds`, combines the window's samples exactly as
`sources.value_now` does (half-open window [t - window, t)), and feeds `rules.step`, so `for` and
recovery behave as they would have. Raw samples are kept a day; older history comes from the
5-minute tier, which the replay says in `resolution_note`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from memo_coach.db.base import utcnow
from memo_coach.incidents.config import REPLAYABLE, MonitoringConfig, Rule
from memo_coach.incidents.history import COARSE, load_points
from memo_coach.incidents.models import INACTIVE
from memo_coach.incidents.rules import step
from memo_coach.incidents.sources import history_series

MAX_DAYS = 30


class Window:
    """Values of one series combined over a sliding half-open window, in O(log n) per step for means.

    Where only 5-minute means exist, a window shorter than five minutes holds the bucket's mean
    (otherwise most steps would see no sample at all and every old episode would flicker).
    """

    def __init__(self, points: list[tuple[float, float]], raw_start: float, seconds: float, how: str) -> None:
        self.times = [t for t, _ in points]
        self.values = [v for _, v in points]
        self.prefix = [0.0, *accumulate(self.values)]
        self.raw_start = raw_start
        self.seconds = seconds
        self.how = how

    def at(self, t: float) -> float | None:
        lo, hi = bisect_left(self.times, t - self.seconds), bisect_left(self.times, t)
        if hi <= lo:
            coarse = hi > 0 and self.times[hi - 1] < self.raw_start and t - self.times[hi - 1] <= COARSE
            return self.values[hi - 1] if coarse else None
        if self.how == "mean":
            return (self.prefix[hi] - self.prefix[lo]) / (hi - lo)
        if self.how == "last":
            return self.values[hi - 1]
        chunk = self.values[lo:hi]
        return max(chunk) if self.how == "max" else min(chunk)


def replay_rule(
    session: Session, rule: Rule, start: datetime, end: datetime, interval_seconds: float
) -> dict[str, Any]:
    """When the rule would have fired and cleared between start and end."""
    if rule.source.kind not in REPLAYABLE:
        return {"rule": rule.name, "replayable": False, "episodes": [], "note": "reads live data, not history"}
    load_from = start - timedelta(seconds=rule.window_seconds)
    windows = [
        Window(*load_points(session, name, label, load_from, end), rule.window_seconds, rule.source.aggregate)
        for name, label in history_series(rule)
    ]
    episodes: list[dict[str, Any]] = []
    state, since = INACTIVE, None
    t, stop, steps = start.timestamp(), end.timestamp(), 0
    while t <= stop:
        known = [v for w in windows if (v := w.at(t)) is not None]
        now = datetime.fromtimestamp(t, UTC)
        result = step(state, since, rule.holds(max(known) if known else None), now, rule.for_seconds)
        if result.transition == "fired":
            episodes.append({"fired_at": now.isoformat(), "cleared_at": None})
        elif result.transition == "cleared":
            episodes[-1]["cleared_at"] = now.isoformat()
        state, since = result.state, result.since
        t += interval_seconds
        steps += 1
    return {
        "rule": rule.name,
        "replayable": True,
        "episodes": episodes,
        "fired": len(episodes),
        "steps": steps,
        "samples": sum(len(w.times) for w in windows),
    }


def replay(
    session: Session, config: MonitoringConfig, names: list[str], days: float = MAX_DAYS, now: datetime | None = None
) -> list[dict[str, Any]]:
    now = now or utcnow()
    start = now - timedelta(days=min(days, MAX_DAYS))
    return [
        replay_rule(session, rule, start, now, config.interval_seconds)
        for rule in config.all_rules()
        if rule.name in names and rule.enabled
    ]


def dry_run(active: Mapping[str, BaseModel], proposed: Mapping[str, BaseModel], session: Session) -> dict:
    """Each new or changed rule replayed over the stored history, before and after the change."""
    before: MonitoringConfig = active.get("monitoring") or MonitoringConfig()  # type: ignore[assignment]
    after: MonitoringConfig = proposed["monitoring"]  # type: ignore[assignment]
    changed = [r.name for r in after.all_rules() if before.rule(r.name) != r]
    now = utcnow()
    return {
        "days": MAX_DAYS,
        "changed_rules": changed,
        "removed_rules": sorted({r.name for r in before.all_rules()} - {r.name for r in after.all_rules()}),
        "before": replay(session, before, changed, now=now),
        "after": replay(session, after, changed, now=now),
    }
