"""Service level objectives: the share of good events, the error budget left, and burn rates.

Availability counts requests without a 5xx from the metric history (the error rate weighted by the
request rate); evaluation latency counts finished evaluations within the bound, from the evaluations
themselves. A burn rate of 1 spends exactly the budget over the SLO's period.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from memo_coach.coaching.models import COMPLETED, Evaluation
from memo_coach.incidents.config import BURN_ALERTS, MonitoringConfig, Slo
from memo_coach.incidents.history import load_points


def _availability(session: Session, start: datetime, end: datetime) -> tuple[float, float]:
    """(bad, total) requests in the window, from the stored rates."""
    requests, _ = load_points(session, "requests_per_s", "", start, end)
    errors = dict(load_points(session, "error_rate", "", start, end)[0])
    total = sum(rate for _, rate in requests)
    bad = sum(rate * errors.get(ts, 0.0) for ts, rate in requests)
    return bad, total


def _latency(session: Session, slo: Slo, start: datetime, end: datetime) -> tuple[float, float]:
    """(slow, finished) evaluations created in the window."""
    window = (Evaluation.created_at >= start, Evaluation.created_at < end, Evaluation.status == COMPLETED)
    finished = session.scalar(select(func.count()).select_from(Evaluation).where(*window)) or 0
    slow_or_unknown = or_(Evaluation.latency_ms.is_(None), Evaluation.latency_ms > slo.latency_seconds * 1000)
    slow = session.scalar(select(func.count()).select_from(Evaluation).where(*window, slow_or_unknown)) or 0
    return float(slow), float(finished)


def bad_fraction(session: Session, slo: Slo, start: datetime, end: datetime) -> float | None:
    bad, total = (
        _availability(session, start, end) if slo.kind == "availability" else _latency(session, slo, start, end)
    )
    return bad / total if total else None


def burn_rate(session: Session, slo: Slo, seconds: float, now: datetime) -> float | None:
    fraction = bad_fraction(session, slo, now - timedelta(seconds=seconds), now)
    return None if fraction is None else fraction / (1 - slo.objective)


def burn_value(session: Session, config: MonitoringConfig, slo_name: str, long: float, short: float, now: datetime):
    """The lower of both windows' burn rates: an alert needs both to burn (fast to fire, fast to clear)."""
    slo = config.slo(slo_name)
    if slo is None:
        return None
    rates = [burn_rate(session, slo, seconds, now) for seconds in (long, short)]
    return None if None in rates else min(rates)  # type: ignore[type-var]


def slo_report(session: Session, config: MonitoringConfig, now: datetime) -> list[dict[str, Any]]:
    report = []
    for slo in config.slos:
        fraction = bad_fraction(session, slo, now - timedelta(days=slo.days), now)
        budget = 1 - slo.objective
        report.append(
            {
                "name": slo.name,
                "kind": slo.kind,
                "objective": slo.objective,
                "days": slo.days,
                "good_ratio": None if fraction is None else round(1 - fraction, 6),
                "error_budget_left": None if fraction is None else round(1 - fraction / budget, 4),
                "burn_rates": {speed: burn_rate(session, slo, long, now) for speed, long, _, _, _ in BURN_ALERTS},
            }
        )
    return report
