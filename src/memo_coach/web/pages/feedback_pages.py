"""Form doors for writers' feedback: rate an evaluation, report a page's load time (sent as a beacon)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from memo_coach.observability.feedback.models import MAX_COMMENT_CHARS
from memo_coach.observability.feedback.page_timing import record_page_load
from memo_coach.observability.feedback.ratings import rate_evaluation
from memo_coach.web.csrf import verify_csrf
from memo_coach.web.deps import DbSession, RowId, Writer
from memo_coach.web.page_routes import known_pages
from memo_coach.web.pages.session_pages import safe_next

router = APIRouter(include_in_schema=False)


@router.post("/evaluations/{evaluation_id}/rating", dependencies=[Depends(verify_csrf)])
def rate_form(
    evaluation_id: RowId,
    user: Writer,
    db: DbSession,
    helpful: Annotated[str, Form(pattern="^(yes|no)$")],
    comment: Annotated[str, Form(max_length=MAX_COMMENT_CHARS)] = "",
    next: Annotated[str, Form()] = "",
):
    rate_evaluation(db, evaluation_id, user, helpful == "yes", comment)
    # ?rated=1 makes the page say the rating is saved, where the writer is looking (#rating).
    return RedirectResponse(safe_next(next or f"/evaluations/{evaluation_id}?rated=1#rating"), status_code=303)


@router.post("/telemetry/page-load", dependencies=[Depends(verify_csrf)])
def page_load_beacon(
    request: Request, user: Writer, page: Annotated[str, Form(max_length=200)], ms: Annotated[float, Form()]
):
    record_page_load(known_pages(request.app), page, ms)
    return Response(status_code=204)
