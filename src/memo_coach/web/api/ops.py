"""The ops console's data as JSON: overview, health, one history series, and the two reports."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from memo_coach.db.base import utcnow
from memo_coach.observability.console import CHARTS, overview
from memo_coach.observability.history.capacity import capacity_report
from memo_coach.observability.history.degradation import degradation_report
from memo_coach.observability.history.series import recent, window
from memo_coach.web.deps import DbSession, Operator, runtime_of
from memo_coach.web.envelope import ok

router = APIRouter(prefix="/api/v1/ops", tags=["ops"])
WINDOW = Query("24h", alias="window", pattern="^(1h|24h|7d|30d)$", description="1h, 24h, 7d or 30d")


@router.get("/overview")
def get_overview(request: Request, user: Operator, db: DbSession, window_name: str = WINDOW):
    return ok(overview(db, runtime_of(request).observability, window_name, utcnow()))


@router.get("/health")
def get_health(request: Request, user: Operator):
    obs = runtime_of(request).observability
    return ok(obs.health.report(obs.context()))


@router.get("/history/{series_name}")
def get_history(
    series_name: str, user: Operator, db: DbSession, window_name: str = WINDOW, label: str = Query("", max_length=120)
):
    """Points of one stored series, e.g. latency_p95_s or errors_per_s with label http_500."""
    win = window(window_name)
    points = recent(db, series_name, win, utcnow(), label)
    return ok(
        {"name": series_name, "label": label, "window": win.name, "points": [[ts.isoformat(), v] for ts, v in points]},
        charts=CHARTS,
    )


@router.get("/reports/degradation")
def get_degradation(request: Request, user: Operator, db: DbSession):
    s = runtime_of(request).settings
    return ok(degradation_report(db, utcnow(), s.degradation_latency_factor, s.degradation_error_factor))


@router.get("/reports/capacity")
def get_capacity(user: Operator, db: DbSession):
    return ok(capacity_report(db, utcnow()))
