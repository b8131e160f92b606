"""Downsampling keeps the history bounded: raw samples for a day, 5-minute means for 30 days,
hourly means for a year (the defaults), whatever the uptime.

Only complete buckets are rolled up, each exactly once (a unique index refuses a second copy when two
replicas roll up at the same moment); then every tier drops rows older than its retention.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from memo_coach.observability.history.models import MetricSample

RAW = 0
RAW_INTERVAL = 15.0  # seconds between raw samples (the sampler's default interval)
# Rates of counted events. A bucket's value is the events in it spread over the whole bucket: a replica
# that sampled only the last minute of a bucket (it had just started, or stopped) saw its events in
# that minute, and a mean over its own samples, read back as a rate over five minutes, would count
# them five times (the 24 h error totals after a restart). Rows of sparse series (one per error type
# that occurred) are missing where the count was zero, which the same division counts as zero.
COUNTED = frozenset({"requests_per_s", "evaluations_per_s", "errors_per_s", "slow_statements_per_s"})


@dataclass(frozen=True)
class Tier:
    resolution: int  # seconds one row stands for; RAW for single samples
    keep: timedelta


DEFAULT_TIERS = (
    Tier(RAW, timedelta(hours=24)),
    Tier(300, timedelta(days=30)),
    Tier(3600, timedelta(days=365)),
)


def bucket_start(ts: datetime, seconds: int) -> datetime:
    epoch = int(ts.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)


def downsample(
    session: Session, now: datetime, tiers: tuple[Tier, ...] = DEFAULT_TIERS, interval: float = RAW_INTERVAL
) -> int:
    """Rolls each tier into the next and prunes every tier; returns the rows written. `interval`: seconds
    between raw samples, what one raw row of a rate stands for."""
    written = 0
    for source, target in pairwise(tiers):
        written += _roll_up(session, source.resolution, target.resolution, now, interval)
    for tier in tiers:
        session.execute(
            delete(MetricSample).where(MetricSample.resolution == tier.resolution, MetricSample.ts < now - tier.keep)
        )
    return written


def _roll_up(session: Session, source: int, target: int, now: datetime, interval: float) -> int:
    end = bucket_start(now, target)  # buckets before this one are complete
    written = 0
    for replica in session.scalars(select(MetricSample.replica).where(MetricSample.resolution == source).distinct()):
        done = session.scalar(
            select(func.max(MetricSample.ts)).where(MetricSample.resolution == target, MetricSample.replica == replica)
        )
        start = done + timedelta(seconds=target) if done else None
        written += _roll_up_replica(session, replica, (source, target, interval), start, end)
    return written


def _roll_up_replica(
    session: Session, replica: str, step: tuple[int, int, float], start: datetime | None, end: datetime
) -> int:
    """`step`: (source resolution, target resolution, raw interval)."""
    source, target, interval = step
    query = select(MetricSample.ts, MetricSample.name, MetricSample.labels, MetricSample.value).where(
        MetricSample.resolution == source, MetricSample.replica == replica, MetricSample.ts < end
    )
    if start is not None:
        query = query.where(MetricSample.ts >= start)
    sums: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0])
    samples: dict[datetime, set[datetime]] = defaultdict(set)
    for ts, name, labels, value in session.execute(query):
        bucket = bucket_start(ts, target)
        samples[bucket].add(ts)
        acc = sums[(bucket, name, labels)]
        acc[0] += value
        acc[1] += 1
    slots = target / (source or interval)  # source rows one full bucket holds
    rows = [
        MetricSample(
            ts=ts,
            resolution=target,
            replica=replica,
            name=name,
            labels=labels,
            value=total / (max(slots, len(samples[ts])) if name in COUNTED else count),
        )
        for (ts, name, labels), (total, count) in sums.items()
    ]
    try:
        with session.begin_nested():
            session.add_all(rows)
            session.flush()
    except IntegrityError:  # another replica rolled these buckets up first
        return 0
    return len(rows)
