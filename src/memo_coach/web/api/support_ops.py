"""Operators' troubleshooting tools as JSON: log search, the doctor, and the kept review reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from memo_coach.support.doctor.runner import MAX_BUDGET_SECONDS, MIN_BUDGET_SECONDS, build_context, run_doctor
from memo_coach.support.log_search import MAX_LIMIT, LogQuery, parse_time, search_logs
from memo_coach.support.reviews.reports import latest_reviews, review_report
from memo_coach.web.deps import AppSettings, DbSession, Operator, RowId
from memo_coach.web.envelope import ok

router = APIRouter(prefix="/api/v1/ops", tags=["ops"])


def log_query(
    request_id: str | None = None,
    level: str | None = None,
    since: str | None = None,
    until: str | None = None,
    route: str | None = None,
    user_id: int | None = None,
    text: str | None = None,
    limit: int = 200,
) -> LogQuery:
    return LogQuery(
        request_id or None,
        level or None,
        parse_time(since, "since"),
        parse_time(until, "until"),
        route or None,
        user_id,
        text or None,
        limit,
    )


@router.get("/logs")
def get_logs(
    user: Operator,
    settings: AppSettings,
    request_id: str | None = Query(None, max_length=64),
    level: str | None = Query(None, max_length=10, description="this level and above"),
    since: str | None = Query(None, max_length=40, description="ISO 8601 with offset"),
    until: str | None = Query(None, max_length=40),
    route: str | None = Query(None, max_length=200, description="route template or its start"),
    user_id: int | None = Query(None, ge=1, le=2**63 - 1),
    text: str | None = Query(None, max_length=200),
    limit: int = Query(200, ge=1, le=MAX_LIMIT),
):
    """This replica's log lines, newest first."""
    query = log_query(request_id, level, since, until, route, user_id, text, limit)
    return ok(search_logs(settings, query))


DoctorBudget = Annotated[
    float | None,
    Query(
        ge=MIN_BUDGET_SECONDS,
        le=MAX_BUDGET_SECONDS,
        description="seconds to wait for the slowest check (default: doctor.budget_seconds of support.yaml)",
    ),
]


@router.get("/doctor")
async def get_doctor(user: Operator, settings: AppSettings, budget: DoctorBudget = None):
    """The same checks as `memo-coach doctor`, answered within its budget."""
    return ok(await run_in_threadpool(lambda: run_doctor(build_context(settings), budget)))


@router.get("/reviews")
def get_reviews(user: Operator, db: DbSession):
    return ok(latest_reviews(db))


@router.get("/reviews/{run_id}")
def get_review(run_id: RowId, user: Operator, db: DbSession):
    return ok(review_report(db, run_id))
