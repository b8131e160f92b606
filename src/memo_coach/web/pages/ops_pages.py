"""The ops console: what needs attention now, components, charts over 1 h to 30 d, errors, slow routes, capacity."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from memo_coach.db.base import utcnow
from memo_coach.errors import NotFound
from memo_coach.observability.console import (
    CHART_UNITS,
    CHARTS,
    capacity_facts,
    chart_reading,
    chart_said,
    overview,
)
from memo_coach.observability.history.charts import line_chart
from memo_coach.observability.history.series import WINDOWS, recent, window
from memo_coach.support.attention import needs_attention
from memo_coach.web.deps import DbSession, Operator, runtime_of
from memo_coach.web.pages.render import has_role, render

router = APIRouter(include_in_schema=False)
WINDOW = Query("24h", alias="window", pattern="^(1h|24h|7d|30d)$")


@router.get("/ops")
def ops_overview(request: Request, user: Operator, db: DbSession, window_name: str = WINDOW):
    now = utcnow()
    data = overview(db, runtime_of(request).observability, window_name, now)
    attention = needs_attention(db, now, with_approvals=has_role(user, "admin"))
    return render(
        request,
        "ops/overview.html",
        attention=attention,
        data=data,
        charts=CHARTS,
        units=CHART_UNITS,
        said={name: chart_said(name, data["charts"][name]) for name in CHARTS},
        capacity=capacity_facts(data["capacity"]),
        windows=list(WINDOWS),
    )


@router.get("/ops/charts/{chart}.svg")
def ops_chart(chart: str, user: Operator, db: DbSession, window_name: str = WINDOW):
    """One chart as SVG, so the page needs no script to draw it."""
    if chart not in CHARTS:
        raise NotFound(f"no chart {chart!r}")
    win, now = window(window_name), utcnow()
    points = recent(db, chart, win, now)
    per = chart_reading(points, CHART_UNITS[chart])["per"]
    svg = line_chart(f"{CHARTS[chart]}, last {win.name}", points, now - win.span, now, CHART_UNITS[chart], per)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=15"})


@router.get("/ops/charts/{chart}.json")
def ops_chart_points(chart: str, user: Operator, db: DbSession, window_name: str = WINDOW):
    """One chart's points for the console's script (the page's cookie session; the API wants its header).

    The window's start and end come along: one point in a 24 h window is drawn over 24 h, with hours on
    its axis, not over a range the chart library guesses. `per` is the one time unit a rate uses."""
    if chart not in CHARTS:
        raise NotFound(f"no chart {chart!r}")
    win, now = window(window_name), utcnow()
    found = recent(db, chart, win, now)
    body = {
        "chart": chart,
        "title": CHARTS[chart],
        "unit": CHART_UNITS[chart],
        "per": chart_reading(found, CHART_UNITS[chart])["per"],
        "window": win.name,
        "start": (now - win.span).isoformat(),
        "end": now.isoformat(),
        "points": [[ts.isoformat(), value] for ts, value in found],
    }
    return JSONResponse(body, headers={"Cache-Control": "private, max-age=15"})
