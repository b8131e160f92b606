"""Writers' feedback: rating an evaluation, and a page's load time (no personal data)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictFloat

from memo_coach.observability.feedback.models import MAX_COMMENT_CHARS
from memo_coach.observability.feedback.page_timing import MAX_LOAD_MS, record_page_load
from memo_coach.observability.feedback.ratings import rate_evaluation, rating_view
from memo_coach.web.deps import DbSession, RowId, Writer
from memo_coach.web.envelope import ok
from memo_coach.web.page_routes import known_pages

router = APIRouter(prefix="/api/v1", tags=["feedback"])


class RatingBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    helpful: bool
    comment: str | None = Field(None, max_length=MAX_COMMENT_CHARS)


class PageLoadBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    page: str = Field(max_length=200, description="the page's route template, e.g. /ops")
    ms: StrictFloat = Field(ge=0, le=MAX_LOAD_MS)


@router.post("/evaluations/{evaluation_id}/rating")
def rate(evaluation_id: RowId, body: RatingBody, user: Writer, db: DbSession):
    """The owner's rating of one evaluation; rating again replaces it."""
    return ok(rating_view(rate_evaluation(db, evaluation_id, user, body.helpful, body.comment)))


@router.post("/telemetry/page-load", status_code=202)
def page_load(body: PageLoadBody, request: Request, user: Writer):
    """Signed-in users only, so anonymous clients cannot flood the histogram; the user is not recorded."""
    record_page_load(known_pages(request.app), body.page, body.ms)
    return ok({"recorded": True}, status=202)
