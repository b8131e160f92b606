"""The ops console: component status, charts over 1 h to 30 d, errors, slow routes, satisfaction, capacity."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from memo_coach.db.base import utcnow
from memo_coach.errors import NotFound
from memo_coach.observability.console import CHART_UNITS, CHARTS, overview
from memo_coach.observability.history.charts import line_chart
from memo_coach.observability.history.series import WINDOWS, recent, window
from memo_coach.web.deps import DbSession, Operator, runtime_of
from memo_coach.web.pages.render import render

router = APIRouter(include_in_schema=False)
WINDOW = Query("24h", alias="window", pattern="^(1h|24h|7d|30d)$")


@router.get("/ops")
def ops_overview(request: Request, user: Operator, db: DbSession, window_name: str = WINDOW):
    data = overview(db, runtime_of(request).observability, window_name, utcnow())
    return render(request, "ops/overview.html", data=data, charts=CHARTS, units=CHART_UNITS, windows=list(WINDOWS))


@router.get("/ops/charts/{chart}.svg")
def ops_chart(chart: str, user: Operator, db: DbSession, window_name: str = WINDOW):
    """One chart as SVG, so the page needs no script to draw it."""
    if chart not in CHARTS:
        raise NotFound(f"no chart {chart!r}")
    win, now = window(window_name), utcnow()
    points = recent(db, chart, win, now)
    svg = line_chart(f"{CHARTS[chart]}, last {win.name}", points, now - win.span, now, CHART_UNITS[chart])
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=15"})


@router.get("/ops/charts/{chart}.json")
def ops_chart_points(chart: str, user: Operator, db: DbSession, window_name: str = WINDOW):
    """One chart's points for the console's script (the page's cookie session; the API wants its header)."""
    if chart not in CHARTS:
        raise NotFound(f"no chart {chart!r}")
    win, now = window(window_name), utcnow()
    points = [[ts.isoformat(), value] for ts, value in recent(db, chart, win, now)]
    body = {"chart": chart, "title": CHARTS[chart], "unit": CHART_UNITS[chart], "window": win.name, "points": points}
    return JSONResponse(body, headers={"Cache-Control": "private, max-age=15"})
