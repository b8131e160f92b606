"""Degradation: the last hour against the same hour of the previous week, latency and error rate."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from memo_coach.observability.history.rollup import RAW
from memo_coach.observability.history.series import mean, series

HOUR = timedelta(hours=1)
WEEK = timedelta(days=7)
# Below these floors a change is noise, whatever the ratio (2 ms to 5 ms is not a regression).
FLOORS = {"latency_p95_s": 0.05, "error_rate": 0.01}


def _baseline(session: Session, name: str, now: datetime) -> float | None:
    """Last week's value for the same hour; raw samples are gone by then, so the 5-minute tier first."""
    start, end = now - WEEK - HOUR, now - WEEK
    return mean(series(session, name, start, end, 300)) or mean(series(session, name, start, end, RAW))


def compare(session: Session, name: str, now: datetime, factor: float) -> dict[str, Any]:
    current = mean(series(session, name, now - HOUR, now, RAW))
    baseline = _baseline(session, name, now)
    ratio = current / baseline if current is not None and baseline else None
    regressed = (
        current is not None
        and current >= FLOORS[name]
        and (baseline is not None and (baseline == 0 or current > factor * baseline))
    )
    return {
        "metric": name,
        "current": current,
        "baseline": baseline,
        "ratio": round(ratio, 3) if ratio is not None else None,
        "factor": factor,
        "regressed": bool(regressed),
        "note": None if baseline is not None else "no history for the same hour last week yet",
    }


def degradation_report(session: Session, now: datetime, latency_factor: float, error_factor: float) -> dict[str, Any]:
    checks = [
        compare(session, "latency_p95_s", now, latency_factor),
        compare(session, "error_rate", now, error_factor),
    ]
    return {
        "window_start": (now - HOUR).isoformat(),
        "baseline_start": (now - WEEK - HOUR).isoformat(),
        "regressed": any(c["regressed"] for c in checks),
        "checks": checks,
    }
