"""Operators' troubleshooting pages: the doctor, log search, and the kept reports of the scheduled reviews."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from memo_coach.errors import AppError
from memo_coach.support.doctor.runner import build_context, run_doctor
from memo_coach.support.log_search import MAX_LIMIT, search_logs
from memo_coach.support.reviews.reports import latest_reviews, review_report
from memo_coach.web.api.support_ops import DoctorBudget, log_query
from memo_coach.web.deps import DbSession, Operator, RowId, runtime_of
from memo_coach.web.pages.render import render

router = APIRouter(include_in_schema=False)


@router.get("/ops/logs")
def logs_page(
    request: Request,
    user: Operator,
    request_id: str = Query("", max_length=64),
    level: str = Query("", max_length=10),
    since: str = Query("", max_length=40),
    until: str = Query("", max_length=40),
    route: str = Query("", max_length=200),
    user_id: int | None = Query(None, ge=1, le=2**63 - 1),
    text: str = Query("", max_length=200),
    limit: int = Query(200, ge=1, le=MAX_LIMIT),
):
    form = {
        "request_id": request_id,
        "level": level,
        "since": since,
        "until": until,
        "route": route,
        "user_id": user_id,
        "text": text,
    }
    result, error = None, None
    if any(v for v in form.values()) or "limit" in request.query_params:
        try:
            result = search_logs(runtime_of(request).settings, log_query(**form, limit=limit))
        except AppError as exc:
            error = exc.message
    return render(request, "ops/logs.html", form=form, limit=limit, result=result, error=error)


@router.get("/ops/reviews")
def reviews_page(request: Request, user: Operator, db: DbSession):
    return render(request, "ops/reviews.html", reviews=latest_reviews(db))


@router.get("/ops/reviews/{run_id}")
def review_page(run_id: RowId, request: Request, user: Operator, db: DbSession):
    return render(request, "ops/review.html", review=review_report(db, run_id))


@router.get("/ops/doctor")
async def doctor_page(request: Request, user: Operator, budget: DoctorBudget = None):
    """The same checks as `memo-coach doctor`, within its budget, as a table with fixes and runbooks."""
    report = await run_in_threadpool(lambda: run_doctor(build_context(runtime_of(request).settings), budget))
    return render(request, "ops/doctor.html", report=report, budget=budget)
