"""Where a rule's value comes from now: the stored metric history, or a direct look at the database.

History-backed sources (metric series, health components) are what the replay can try on the past;
`stranded_evaluations` and `locked_accounts` are small functions on purpose, so a gauge or a count
another capability exposes later can replace them in one place.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach.auth.models import LoginAttempt
from memo_coach.coaching.jobs import pending_counts
from memo_coach.config_store.versions import active_models
from memo_coach.incidents.config import MonitoringConfig, Rule
from memo_coach.incidents.rules import aggregate
from memo_coach.incidents.slo import burn_value
from memo_coach.observability.history.rollup import RAW
from memo_coach.observability.history.series import series

HEALTH_SERIES = "health_status"


def history_series(rule: Rule) -> list[tuple[str, str]]:
    """(series, label) pairs a history-backed rule reads; its value is the worst of them."""
    source = rule.source
    if source.kind == "metric":
        return [(source.series or "", source.label)]
    return [(HEALTH_SERIES, component) for component in source.components]


def stranded_evaluations(session: Session, now: datetime, older_than_seconds: float) -> int:
    """Evaluations left pending with no live lease (their process died) for at least this long.

    One that a live process is still working on (a slow model, within its deadline) is not stranded.
    """
    counts = pending_counts(session, now)
    oldest = counts["oldest_stranded_seconds"]
    return counts["stranded"] if oldest is not None and oldest >= older_than_seconds else 0


def locked_accounts(session: Session, now: datetime, window_seconds: float, failures: int) -> int:
    """Accounts with at least `failures` failed sign-ins inside the window (auth.yaml's lockout rule)."""
    since = now - timedelta(seconds=window_seconds)
    per_user = (
        select(LoginAttempt.username)
        .where(LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since)
        .group_by(LoginAttempt.username)
        .having(func.count() >= failures)
    )
    return session.scalar(select(func.count()).select_from(per_user.subquery())) or 0


def days_until(env: str, now: datetime) -> float | None:
    """Days left before the ISO 8601 date in the environment variable (a certificate, a secret)."""
    raw = os.environ.get(env)
    if not raw:
        return None
    return (datetime.fromisoformat(raw) - now).total_seconds() / 86400


def _lockout_failures(session: Session) -> int:
    auth = active_models(session).get("auth")
    return auth.lockout.max_failures_per_account if auth else 5  # type: ignore[attr-defined]


def value_now(session: Session, rule: Rule, now: datetime, config: MonitoringConfig | None = None) -> float | None:
    source = rule.source
    if source.kind == "slo_burn":
        if config is None:
            return None
        return burn_value(session, config, source.slo or "", rule.window_seconds, source.short_window_seconds or 0, now)
    start = now - timedelta(seconds=rule.window_seconds)
    if source.kind in ("metric", "health"):
        values = [
            aggregate([v for _, v in series(session, name, start, now, RAW, label)], source.aggregate)
            for name, label in history_series(rule)
        ]
        known = [v for v in values if v is not None]
        return max(known) if known else None
    if source.kind == "pending_evaluations":
        return float(stranded_evaluations(session, now, source.older_than_seconds))
    if source.kind == "lockouts":
        return float(locked_accounts(session, now, rule.window_seconds, _lockout_failures(session)))
    return days_until(source.env or "", now)
