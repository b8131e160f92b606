"""Capacity: linear trends of database size, disk use and evaluation volume, and when the disk fills."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach.coaching.models import Evaluation
from memo_coach.observability.history.rollup import RAW
from memo_coach.observability.history.series import series
from memo_coach.observability.units import span

SPAN = timedelta(days=30)
DAY = 86400.0
# A straight line through minutes of samples says nothing about next month: below this much history
# (and this many points) nothing is projected.
MIN_HISTORY_DAYS = 3.0
MIN_POINTS = 24


def _centred(points: list[tuple[datetime, float]]) -> tuple[list[float], list[float]]:
    """Days and values, each minus its mean."""
    xs = [ts.timestamp() / DAY for ts, _ in points]
    ys = [v for _, v in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return [x - mx for x in xs], [y - my for y in ys]


def slope_per_day(points: list[tuple[datetime, float]]) -> float | None:
    """Least-squares slope in units per day; None with fewer than two distinct times."""
    if len(points) < 2:
        return None
    xs, ys = _centred(points)
    var = sum(x**2 for x in xs)
    if var == 0:
        return None
    return sum(x * y for x, y in zip(xs, ys, strict=True)) / var


def _history(session: Session, name: str, now: datetime) -> list[tuple[datetime, float]]:
    """The hourly tier for the month, topped up with finer rows where hourly ones do not exist yet."""
    hourly = series(session, name, now - SPAN, now, 3600)
    since = hourly[-1][0] + timedelta(hours=1) if hourly else now - SPAN
    five = series(session, name, since, now, 300)
    since = five[-1][0] + timedelta(minutes=5) if five else since
    return hourly + five + series(session, name, since, now, RAW)


def fit_quality(points: list[tuple[datetime, float]], slope: float | None) -> float | None:
    """R squared of the least-squares line: 1 when the points lie on it, near 0 when the trend is noise."""
    if slope is None:
        return None
    xs, ys = _centred(points)
    total = sum(y**2 for y in ys)
    if total == 0:
        return 1.0
    residual = sum((y - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    return max(0.0, 1 - residual / total)


def too_little_history(days: float, points: int | None = None) -> str | None:
    """Why nothing may be projected yet, in the words the console, the API and the CLI show; None when
    there is enough to draw a line through (`points`: samples, when the series is sampled)."""
    if days < MIN_HISTORY_DAYS:
        return f"not enough history yet: {span(days * DAY)} of {MIN_HISTORY_DAYS:g} days needed"
    if points is not None and points < MIN_POINTS:
        return f"not enough history yet: {points} of {MIN_POINTS} samples needed"
    return None


def confidence(points: list[tuple[datetime, float]], r2: float | None) -> tuple[str, str | None]:
    """("none" | "low" | "medium" | "high", why nothing is projected or None)."""
    days = (points[-1][0] - points[0][0]).total_seconds() / DAY if points else 0.0
    if why_not := too_little_history(days, len(points)):
        return "none", why_not
    if r2 is None or r2 < 0.5:
        return "low", "the history does not follow a line"
    return ("high" if r2 >= 0.9 and days >= 14 else "medium"), None


def trend(session: Session, name: str, now: datetime, days_ahead: int = 30) -> dict[str, Any]:
    """The latest value and, once the history allows it, growth a day and the value in `days_ahead` days.

    Without enough history growth is None, not a slope through minutes of samples: ten minutes of an
    install writing its first files would read as hundreds of megabytes a day."""
    points = _history(session, name, now)
    slope = slope_per_day(points)
    r2 = fit_quality(points, slope)
    sure, why_not = confidence(points, r2)
    latest = points[-1][1] if points else None
    projected = latest + slope * days_ahead if why_not is None and latest is not None and slope is not None else None
    return {
        "latest": latest,
        "growth_per_day": slope if why_not is None else None,
        f"in_{days_ahead}_days": projected,
        "points": len(points),
        "history_days": round((points[-1][0] - points[0][0]).total_seconds() / DAY, 2) if points else 0.0,
        "r_squared": round(r2, 3) if r2 is not None else None,
        "confidence": sure,
        "not_projected": why_not,
    }


def evaluation_volume(session: Session, now: datetime) -> dict[str, Any]:
    """Evaluations per day from the evaluations themselves (every replica's), with their trend.

    Days before the first evaluation of the month are not zeros of a trend but days before there was
    anything to count; the trend starts at the first evaluation and needs the same history as the others."""
    since = now - SPAN
    created = session.scalars(select(Evaluation.created_at).where(Evaluation.created_at >= since)).all()
    per_day: dict[int, int] = {}
    for ts in created:
        day = int((ts - since).total_seconds() // DAY)
        per_day[day] = per_day.get(day, 0) + 1
    days = int(SPAN.total_seconds() // DAY)
    first = min(per_day, default=days - 1)
    points = [(since + timedelta(days=d), float(per_day.get(d, 0))) for d in range(first, days)]
    history = (now - min(created)).total_seconds() / DAY if created else 0.0
    why_not = too_little_history(history)
    slope = slope_per_day(points) if why_not is None else None
    total = session.scalar(select(func.count()).select_from(Evaluation)) or 0
    return {
        "last_30_days": len(created),
        "per_day_now": points[-1][1],
        "growth_per_day": slope,
        "history_days": round(history, 2),
        "not_projected": why_not,
        "total": total,
    }


def capacity_report(session: Session, now: datetime) -> dict[str, Any]:
    disk = trend(session, "disk_free_bytes", now)
    days_to_full = None
    if disk["not_projected"] is None and disk["growth_per_day"] is not None and disk["growth_per_day"] < 0:
        days_to_full = round(disk["latest"] / -disk["growth_per_day"], 1)
    return {
        "database_bytes": trend(session, "database_bytes", now),
        "disk_free_bytes": disk,
        "disk_used_ratio": trend(session, "disk_used_ratio", now),
        "disk_full_in_days": days_to_full,
        "disk_full_confidence": disk["confidence"],
        "disk_full_not_projected": disk["not_projected"],
        "evaluations": evaluation_volume(session, now),
    }
