"""The ops console: component status, charts over 1 h to 30 d, errors, slow routes, satisfaction, capacity."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response

from memo_coach.db.base import utcnow
from memo_coach.errors import NotFound
from memo_coach.observability.console import CHARTS, overview
from memo_coach.observability.history.charts import line_chart
from memo_coach.observability.history.series import WINDOWS, recent, window
from memo_coach.web.deps import DbSession, Operator
from memo_coach.web.pages.render import render

router = APIRouter(include_in_schema=False)
WINDOW = Query("24h", alias="window", pattern="^(1h|24h|7d|30d)$")


@router.get("/ops")
def ops_overview(request: Request, user: Operator, db: DbSession, window_name: str = WINDOW):
    data = overview(db, request.app.state.observability, window_name, utcnow())
    return render(request, "ops/overview.html", data=data, charts=CHARTS, windows=list(WINDOWS))


@router.get("/ops/charts/{chart}.svg")
def ops_chart(chart: str, user: Operator, db: DbSession, window_name: str = WINDOW):
    """One chart as SVG, so the page needs no script to draw it."""
    if chart not in CHARTS:
        raise NotFound(f"no chart {chart!r}")
    win, now = window(window_name), utcnow()
    svg = line_chart(f"{CHARTS[chart]}, last {win.name}", recent(db, chart, win, now), now - win.span, now)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=15"})
