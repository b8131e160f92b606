"""Every interval (15 s by default) the sampler turns this replica's metrics into history rows:
rates from counter differences, exact percentiles from the raw-duration windows, resources and health.
"""

from __future__ import annotations

import statistics
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime

from memo_coach.component_status import SEVERITY
from memo_coach.db.engine import session_scope
from memo_coach.observability.db_timing import StatementTiming
from memo_coach.observability.health.registry import HealthContext, HealthRegistry
from memo_coach.observability.history.models import MetricSample
from memo_coach.observability.history.rollup import DEFAULT_TIERS, RAW, Tier, bucket_start, downsample
from memo_coach.observability.io_counters import IoRates
from memo_coach.observability.metrics import (
    EVALUATIONS,
    HTTP_DURATION,
    HTTP_ERRORS,
    HTTP_REQUESTS,
    LLM_CALLS,
    PLANNED_UNAVAILABLE,
    RATINGS,
    WINDOWS,
    read_resources,
)
from memo_coach.periodic import PeriodicLoop

ROLLUP_EVERY = 300  # seconds: downsample once per 5-minute bucket
Point = tuple[str, str, float]  # (name, label, value)


def _totals(metric, *keys: str, suffix: str = "_total") -> Tally:
    """Sum of a metric's samples ending in `suffix` (a counter's totals, a histogram's _sum or _count),
    split by the values of `keys` joined with a space (or all under "")."""
    tally: Tally = Tally()
    for family in metric.collect():
        for sample in family.samples:
            if sample.name.endswith(suffix):
                tally[" ".join(sample.labels.get(key, "") for key in keys)] += sample.value
    return tally


@dataclass
class Counts:
    """Counter readings at one moment; the sampler stores differences between two of them."""

    by_status: Tally = field(default_factory=Tally)
    errors: Tally = field(default_factory=Tally)
    evaluations: Tally = field(default_factory=Tally)
    llm: Tally = field(default_factory=Tally)
    ratings: Tally = field(default_factory=Tally)
    route_seconds: Tally = field(default_factory=Tally)  # by "METHOD route"
    route_requests: Tally = field(default_factory=Tally)
    statement_seconds: Tally = field(default_factory=Tally)  # by "kind table"
    statements: Tally = field(default_factory=Tally)
    slow_statements: Tally = field(default_factory=Tally)
    planned: Tally = field(default_factory=Tally)  # 503s of a maintenance window

    @classmethod
    def read(cls, timing: StatementTiming | None = None) -> Counts:
        counts = cls(
            _totals(HTTP_REQUESTS, "status"),
            _totals(HTTP_ERRORS, "type"),
            _totals(EVALUATIONS, "outcome"),
            _totals(LLM_CALLS, "outcome"),
            _totals(RATINGS, "helpful"),
            _totals(HTTP_DURATION, "method", "route", suffix="_sum"),
            _totals(HTTP_DURATION, "method", "route", suffix="_count"),
        )
        counts.planned = _totals(PLANNED_UNAVAILABLE)
        if timing is not None:
            counts.statement_seconds = _totals(timing.histogram, "kind", "table", suffix="_sum")
            counts.statements = _totals(timing.histogram, "kind", "table", suffix="_count")
            counts.slow_statements = _totals(timing.slow, "kind", "table")
        return counts

    def minus(self, earlier: Counts) -> Counts:
        """Differences; a label whose count did not grow drops out (Counter subtraction keeps positives)."""
        return Counts(*(getattr(self, f.name) - getattr(earlier, f.name) for f in fields(self)))


def percentiles(values: list[float], prefix: str) -> list[Point]:
    if not values:
        return []
    if len(values) == 1:
        return [(f"{prefix}_p{q}_s", "", values[0]) for q in (50, 95, 99)]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return [(f"{prefix}_p50_s", "", cuts[49]), (f"{prefix}_p95_s", "", cuts[94]), (f"{prefix}_p99_s", "", cuts[98])]


def rate_points(delta: Counts, seconds: float) -> list[Point]:
    requests = sum(delta.by_status.values())
    # A maintenance window's 503s were planned: they are errors by type (maintenance_503), not server errors.
    server_errors = sum(n for status, n in delta.by_status.items() if status.startswith("5"))
    server_errors = max(0.0, server_errors - sum(delta.planned.values()))
    points: list[Point] = [
        ("requests_per_s", "", requests / seconds),
        ("error_rate", "", server_errors / requests if requests else 0.0),
        ("evaluations_per_s", "", sum(delta.evaluations.values()) / seconds),
    ]
    points += [("errors_per_s", kind, n / seconds) for kind, n in delta.errors.items() if n > 0]
    if finished := sum(delta.evaluations.values()):
        points.append(("evaluations_degraded_ratio", "", delta.evaluations["degraded"] / finished))
    if calls := sum(delta.llm.values()):
        points.append(("llm_availability", "", delta.llm["ok"] / calls))
    if rated := sum(delta.ratings.values()):
        points.append(("helpful_ratio", "", delta.ratings["true"] / rated))
    points += mean_points("route_mean_s", delta.route_seconds, delta.route_requests)
    points += mean_points("db_statement_mean_s", delta.statement_seconds, delta.statements)
    points += [("slow_statements_per_s", label, n / seconds) for label, n in delta.slow_statements.items() if n > 0]
    return points


def mean_points(name: str, seconds: Tally, counts: Tally) -> list[Point]:
    """Mean duration per label over one interval, for the labels that occurred in it (the weekly review
    compares them per route and per statement kind and table)."""
    return [(name, label, seconds[label] / n) for label, n in counts.items() if n > 0]


class Sampler:
    """Samples on a daemon thread; `tick(now)` is also what tests call with synthetic times."""

    def __init__(
        self,
        context: Callable[[], HealthContext],
        health: HealthRegistry,
        interval: float,
        tiers: tuple[Tier, ...] = DEFAULT_TIERS,
        timing: StatementTiming | None = None,
    ) -> None:
        self._context = context
        self._health = health
        self._tiers = tiers
        self._timing = timing
        self._interval = interval
        self._io = IoRates()
        self._previous: tuple[datetime, Counts] | None = None
        self._rolled_bucket: datetime | None = None
        # A failed sample is a gap in a chart: the loop logs it and samples again next interval.
        self._loop = PeriodicLoop("metric-sampler", interval, self.tick)

    def collect(self, ctx: HealthContext) -> list[Point]:
        counts = Counts.read(self._timing)
        points: list[Point] = []
        if self._previous:
            seconds = max((ctx.now - self._previous[0]).total_seconds(), 1e-3)
            points += rate_points(counts.minus(self._previous[1]), seconds)
        self._previous = (ctx.now, counts)
        for window, prefix in (
            ("http", "latency"),
            ("evaluation", "evaluation"),
            ("llm", "llm"),
            ("page_load", "page_load"),
        ):
            points += percentiles(WINDOWS[window].drain(), prefix)
        points += [(name, "", value) for name, value in read_resources(ctx.settings.data_dir, ctx.engine).items()]
        points += [(name, "", value) for name, value in self._io.read(ctx.now).items()]
        report = self._health.report(ctx)
        points += [("health_status", c["name"], float(SEVERITY[c["status"]])) for c in report["components"]]
        return points

    def tick(self, now: datetime | None = None) -> int:
        """Stores one sample (and downsamples once per 5-minute bucket); returns the rows stored."""
        ctx = self._context()
        if now is not None:
            ctx.now = now
        points = self.collect(ctx)
        with session_scope(ctx.sessions) as session:
            if self._timing is not None:
                self._timing.refresh(session)
            session.add_all(
                MetricSample(ts=ctx.now, resolution=RAW, replica=ctx.replica, name=n, labels=label[:120], value=v)
                for n, label, v in points
            )
        bucket = bucket_start(ctx.now, ROLLUP_EVERY)
        if bucket != self._rolled_bucket:
            with session_scope(ctx.sessions) as session:
                downsample(session, ctx.now, self._tiers, self._interval)
            self._rolled_bucket = bucket
        return len(points)

    def start(self) -> None:
        self._loop.start()

    def stop(self) -> None:
        self._loop.stop()

    def is_alive(self) -> bool:
        return self._loop.is_alive()
