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
# Series stored only when non-zero (one row per error type that occurred): a missing row means zero,
# so their bucket mean divides by the samples the replica took, not by the rows that happen to exist.
SPARSE = frozenset({"errors_per_s", "slow_statements_per_s"})


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


def downsample(session: Session, now: datetime, tiers: tuple[Tier, ...] = DEFAULT_TIERS) -> int:
    """Rolls each tier into the next and prunes every tier; returns the rows written."""
    written = 0
    for source, target in pairwise(tiers):
        written += _roll_up(session, source.resolution, target.resolution, now)
    for tier in tiers:
        session.execute(
            delete(MetricSample).where(MetricSample.resolution == tier.resolution, MetricSample.ts < now - tier.keep)
        )
    return written


def _roll_up(session: Session, source: int, target: int, now: datetime) -> int:
    end = bucket_start(now, target)  # buckets before this one are complete
    written = 0
    for replica in session.scalars(select(MetricSample.replica).where(MetricSample.resolution == source).distinct()):
        done = session.scalar(
            select(func.max(MetricSample.ts)).where(MetricSample.resolution == target, MetricSample.replica == replica)
        )
        start = done + timedelta(seconds=target) if done else None
        written += _roll_up_replica(session, replica, source, target, start, end)
    return written


def _roll_up_replica(
    session: Session, replica: str, source: int, target: int, start: datetime | None, end: datetime
) -> int:
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
    rows = [
        MetricSample(
            ts=ts,
            resolution=target,
            replica=replica,
            name=name,
            labels=labels,
            value=total / (len(samples[ts]) if name in SPARSE else count),
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
