"""Weekly performance analysis: latency and throughput against last week, and the slowest routes and
statements with their trend, all from the metric history (every replica's, kept 30 days at five minutes)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from memo_coach.observability.history.series import labelled_stats, mean, series
from memo_coach.settings import Settings

WEEK = timedelta(days=7)
RESOLUTION = 300  # the five-minute tier keeps 30 days: both weeks are there
METRICS = ("latency_p95_s", "requests_per_s", "error_rate", "evaluation_p95_s")
TOP = 8


def _compare(session: Session, name: str, now: datetime) -> dict[str, Any]:
    this_week = mean(series(session, name, now - WEEK, now, RESOLUTION))
    last_week = mean(series(session, name, now - 2 * WEEK, now - WEEK, RESOLUTION))
    change = (this_week / last_week - 1) if this_week is not None and last_week else None
    return {
        "metric": name,
        "this_week": this_week,
        "last_week": last_week,
        "change": round(change, 3) if change is not None else None,
    }


def _trend(session: Session, name: str, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Per label of a duration series (a route, a statement kind and table): the mean of this week's
    five-minute means against last week's, slowest first."""
    this_week = labelled_stats(session, name, now - WEEK, now, RESOLUTION)
    last_week = labelled_stats(session, name, now - 2 * WEEK, now - WEEK, RESOLUTION)
    rows = []
    for label, (total, n) in this_week.items():
        before = last_week.get(label)
        now_ms, then_ms = total / n * 1000, (before[0] / before[1] * 1000 if before else None)
        rows.append(
            {
                "name": label,
                "this_week_ms": round(now_ms, 2),
                "last_week_ms": round(then_ms, 2) if then_ms is not None else None,
                "change": round(now_ms / then_ms - 1, 3) if then_ms else None,
            }
        )
    return sorted(rows, key=lambda row: -row["this_week_ms"])[:limit]


def slowest_routes(session: Session, now: datetime, limit: int = TOP) -> list[dict[str, Any]]:
    """Routes ("METHOD /template") by mean time this week, every replica's, with last week's."""
    return _trend(session, "route_mean_s", now, limit)


def slowest_statements(session: Session, now: datetime, limit: int = TOP) -> list[dict[str, Any]]:
    """Statements by kind and main table ("select evaluations") by mean time this week, with last week's
    and how many went over the slow-statement threshold in each week."""
    rows = _trend(session, "db_statement_mean_s", now, limit)
    for key, start in (("slow_this_week", now - WEEK), ("slow_last_week", now - 2 * WEEK)):
        slow = labelled_stats(session, "slow_statements_per_s", start, start + WEEK, RESOLUTION)
        for row in rows:
            row[key] = round(slow.get(row["name"], (0.0, 0))[0] * RESOLUTION)
    return rows


def performance_review(session: Session, settings: Settings, now: datetime) -> dict[str, Any]:
    comparisons = [_compare(session, name, now) for name in METRICS]
    latency = comparisons[0]
    return {
        "from": (now - WEEK).isoformat(),
        "to": now.isoformat(),
        "comparisons": comparisons,
        "latency_regressed": bool(
            latency["change"] is not None and latency["change"] > settings.degradation_latency_factor - 1
        ),
        "slowest_statements": slowest_statements(session, now),
        "slowest_routes": slowest_routes(session, now),
    }
