"""Reading the history back: one series over a window, combined across replicas."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach.errors import InvalidInput
from memo_coach.observability.history.models import MetricSample
from memo_coach.observability.history.rollup import COUNTED, RAW

RAW_STEP = 15  # seconds: raw samples of all replicas are aligned to this grid
# Rates of counted events add up across replicas; ratios, latencies and resources are averaged.
SUMMED = COUNTED


@dataclass(frozen=True)
class Window:
    name: str
    span: timedelta
    resolution: int


WINDOWS = {
    "1h": Window("1h", timedelta(hours=1), RAW),
    "24h": Window("24h", timedelta(hours=24), 300),
    "7d": Window("7d", timedelta(days=7), 300),
    "30d": Window("30d", timedelta(days=30), 3600),
}


def window(name: str) -> Window:
    if name not in WINDOWS:
        raise InvalidInput(f"unknown window {name!r}; use one of {', '.join(WINDOWS)}", field="window")
    return WINDOWS[name]


def series_epochs(
    session: Session, name: str, start: datetime, end: datetime, resolution: int, label: str = ""
) -> list[tuple[int, float]]:
    """Like `series`, with times as epoch seconds: a 30-day replay reads 170,000 points, and building
    a datetime for each one would cost more than the replay itself."""
    rows = session.execute(
        select(MetricSample.ts, MetricSample.value).where(
            MetricSample.name == name,
            MetricSample.labels == label,
            MetricSample.resolution == resolution,
            MetricSample.ts >= start,
            MetricSample.ts < end,
        )
    )
    step = resolution or RAW_STEP
    grouped: dict[int, list[float]] = defaultdict(list)
    for ts, value in rows:
        epoch = int(ts.timestamp())
        grouped[epoch - epoch % step].append(value)
    combine = sum if name in SUMMED else (lambda vs: sum(vs) / len(vs))
    return [(epoch, combine(values)) for epoch, values in sorted(grouped.items())]


def series(
    session: Session, name: str, start: datetime, end: datetime, resolution: int, label: str = ""
) -> list[tuple[datetime, float]]:
    """(time, value) points of one series between start and end, replicas combined per time step."""
    return [
        (datetime.fromtimestamp(epoch, UTC), value)
        for epoch, value in series_epochs(session, name, start, end, resolution, label)
    ]


def recent(session: Session, name: str, win: Window, now: datetime, label: str = "") -> list[tuple[datetime, float]]:
    return series(session, name, now - win.span, now, win.resolution, label)


def newest(session: Session, name: str, now: datetime) -> float | None:
    """The freshest value of a series, from the finest tier that has one: what a level (disk used,
    database size) is now, the same number wherever the console shows it."""
    for resolution, span in ((RAW, timedelta(hours=1)), (300, timedelta(days=1)), (3600, timedelta(days=30))):
        if points := series_epochs(session, name, now - span, now + timedelta(seconds=1), resolution):
            return points[-1][1]
    return None


def labelled_totals(session: Session, name: str, win: Window, now: datetime, interval: float) -> dict[str, float]:
    """Per-label totals of a per-second rate over a window (e.g. errors by type): rate times row duration."""
    rows = session.execute(
        select(MetricSample.labels, MetricSample.value).where(
            MetricSample.name == name, MetricSample.resolution == win.resolution, MetricSample.ts >= now - win.span
        )
    )
    seconds = win.resolution or interval
    totals: dict[str, float] = defaultdict(float)
    for label, value in rows:
        totals[label] += value * seconds
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def labelled_stats(
    session: Session, name: str, start: datetime, end: datetime, resolution: int
) -> dict[str, tuple[float, int]]:
    """(sum of values, rows) per label of one series over [start, end), every replica's rows alike:
    a mean per route or statement is sum / rows, a per-second rate's total is sum * resolution."""
    rows = session.execute(
        select(MetricSample.labels, func.sum(MetricSample.value), func.count())
        .where(
            MetricSample.name == name,
            MetricSample.resolution == resolution,
            MetricSample.ts >= start,
            MetricSample.ts < end,
        )
        .group_by(MetricSample.labels)
    )
    return {label: (float(total), int(n)) for label, total, n in rows}


def mean(points: list[tuple[datetime, float]]) -> float | None:
    return sum(v for _, v in points) / len(points) if points else None
