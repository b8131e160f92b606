"""The writer's history: progress per memo and overall (SVG drawn by the app), and every evaluation, paginated."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from memo_coach.coaching.history import history_page, progress
from memo_coach.web.deps import Config, DbSession, Writer
from memo_coach.web.pages.charts import COMPACT, progress_chart
from memo_coach.web.pages.render import render
from memo_coach.web.pages.translation import page_language

router = APIRouter(include_in_schema=False)
PER_PAGE = 20


@router.get("/history")
def history(request: Request, user: Writer, db: DbSession, config: Config, page: int = Query(1, ge=1, le=1_000_000)):
    rows, total = history_page(db, user.id, page, PER_PAGE)
    points = progress(db, user.id)
    pages = max(1, -(-total // PER_PAGE))
    language = page_language(request)
    return render(
        request,
        "history.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        progress=points,
        chart=progress_chart(points, config.rubric.scale, language=language),
        compact_chart=progress_chart(points, config.rubric.scale, *COMPACT, language=language),
    )
