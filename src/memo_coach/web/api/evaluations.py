"""Submit a memo and read evaluations: one's own, or any for admins."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Header, Query
from pydantic import BaseModel, ConfigDict, Field

from memo_coach.coaching.service import evaluation_view, get_evaluation, list_evaluations
from memo_coach.coaching.submissions import MemoDraft
from memo_coach.security.content_reads import note_content_read
from memo_coach.web.deps import MAX_ROW_ID, DbSession, RowId, Writer
from memo_coach.web.envelope import ok
from memo_coach.web.maintenance_guard import handles_maintenance_itself
from memo_coach.web.submission import Submission

router = APIRouter(prefix="/api/v1/evaluations", tags=["evaluations"])


class SubmitBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    text_content: str = Field(description="the memo; the length limit is checked by the service")
    memo_id: int | None = Field(None, ge=1, le=MAX_ROW_ID, description="resubmit as a new revision of this memo")


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=128,
        description="repeat a submission safely: the same key answers with the first submission's evaluation",
    ),
]


Prefer = Annotated[
    str | None,
    Header(
        max_length=256,
        description="`respond-async`: answer 202 at once with the evaluation's URL instead of waiting for it",
    ),
]


def wants_async(prefer: str | None) -> bool:
    """RFC 7240: preferences are comma-separated tokens, each with optional parameters."""
    return any(p.split(";")[0].strip().lower() == "respond-async" for p in (prefer or "").split(","))


@router.post(
    "/submit",
    status_code=201,
    responses={202: {"description": "Stored and queued (with `Prefer: respond-async`); poll the Location"}},
)
@handles_maintenance_itself
async def submit(
    body: SubmitBody,
    admission: Submission,
    idempotency_key: IdempotencyKey = None,
    prefer: Prefer = None,
):
    """The request holds no database connection: the evaluation may take seconds and opens its own
    short transactions; holding both would let a burst of writers exhaust the pool and stall."""
    respond_async = wants_async(prefer)
    # The evaluation itself runs in the coach's admission queue (a full queue answers 503 with
    # Retry-After here, before anything is stored).
    memo = MemoDraft(body.text_content, body.memo_id, idempotency_key)
    accepted = await admission.submit(memo, wait_for_first=not respond_async)
    evaluation = accepted.evaluation
    if respond_async:
        url = f"/api/v1/evaluations/{evaluation.id}"
        response = ok({**evaluation_view(evaluation), "url": url}, status=202)
        response.headers.update({"Location": url, "Preference-Applied": "respond-async"})
        return response
    if accepted.running is not None:
        evaluation = await asyncio.wrap_future(accepted.running)
    return ok(evaluation_view(evaluation), status=201)


@router.get("")
def list_own(
    user: Writer, db: DbSession, limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0, le=MAX_ROW_ID)
):
    rows, total = list_evaluations(db, user.id, limit, offset)
    return ok([evaluation_view(e) for e in rows], pagination={"total": total, "limit": limit, "offset": offset})


@router.get("/{evaluation_id}")
def get_one(evaluation_id: RowId, user: Writer, db: DbSession):
    evaluation = get_evaluation(db, evaluation_id, user)
    note_content_read(db, user, evaluation)
    return ok(evaluation_view(evaluation))
