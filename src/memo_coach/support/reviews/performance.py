"""Weekly performance analysis: latency and throughput against last week, and the slowest routes."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from memo_coach.observability.history.series import mean, series
from memo_coach.settings import Settings
from memo_coach.support.log_search import entry_time, newest_first

WEEK = timedelta(days=7)
RESOLUTION = 300  # the five-minute tier keeps 30 days: both weeks are there
METRICS = ("latency_p95_s", "requests_per_s", "error_rate", "evaluation_p95_s")


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


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def slowest_routes(settings: Settings, start: datetime, limit: int = 8) -> list[dict[str, Any]]:
    """p95 duration per route from this replica's access lines since `start`."""
    durations: dict[str, list[float]] = defaultdict(list)
    for entry in newest_first(settings):
        at = entry_time(entry)
        if at is not None and at < start:
            break
        if entry.get("logger") == "memo_coach.access" and "duration_ms" in entry:
            durations[f"{entry.get('method')} {entry.get('route')}"].append(float(entry["duration_ms"]))
    rows = [{"route": r, "requests": len(v), "p95_ms": round(_p95(v), 1)} for r, v in durations.items()]
    return sorted(rows, key=lambda row: -row["p95_ms"])[:limit]


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
        "slowest_routes": slowest_routes(settings, now - WEEK),
    }
