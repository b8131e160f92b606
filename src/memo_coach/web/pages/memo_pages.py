"""The writer's memo pages: the submit form (new memo or revision), one evaluation with its feedback,
changes since the previous revision (scores and text) and chat, and its PDF."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from memo_coach.coaching.chat import MAX_QUESTION_CHARS, conversation
from memo_coach.coaching.history import criterion_changes, memo_versions
from memo_coach.coaching.models import COMPLETED, PENDING, Evaluation, Memo
from memo_coach.coaching.service import evaluation_view, get_evaluation
from memo_coach.coaching.submissions import MemoDraft
from memo_coach.coaching.text_diff import MAX_WORDS, text_diff
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.errors import AppError, Conflict, Forbidden, NotFound, Unauthenticated
from memo_coach.observability.feedback.ratings import rating_for
from memo_coach.security.content_reads import askers, note_content_read
from memo_coach.web.csrf import verify_csrf
from memo_coach.web.deps import MAX_ROW_ID, CoachDep, Config, DbSession, RowId, Writer, runtime_of
from memo_coach.web.maintenance_guard import handles_maintenance_itself
from memo_coach.web.pages.evaluation_display import mark_segments, rubric_for
from memo_coach.web.pages.render import render
from memo_coach.web.pages.translation import page_gettext, page_language
from memo_coach.web.pages.writer_errors import localized_error
from memo_coach.web.rate_limits import throttled
from memo_coach.web.submission import Submission

router = APIRouter(include_in_schema=False)
PROGRESS_POLL_SECONDS = 0.5  # how often the event stream reads the row (an indexed get by id)


def new_key() -> str:
    """Each rendering of the form gets its own key: sending the same form twice stores one memo."""
    return uuid.uuid4().hex


def _own_memo(db, memo_id: int, user) -> Memo:
    memo = db.get(Memo, memo_id)
    if memo is None or memo.user_id != user.id:
        raise NotFound(f"no memo {memo_id} of yours")
    return memo


def _memo_of(sessions, memo_id: int, user_id: int) -> Memo | None:
    """The writer's own memo, to name in the form given back; never someone else's (ids are sequential)."""
    with session_scope(sessions) as db:
        memo = db.get(Memo, memo_id)
        return memo if memo is not None and memo.user_id == user_id else None


@router.get("/")
def submit_form(request: Request, user: Writer, coach: CoachDep):
    return render(request, "submit.html", max_chars=coach.max_chars, text="", memo=None, idempotency_key=new_key())


@router.get("/memos/{memo_id}/revise")
def revise_form(memo_id: RowId, request: Request, user: Writer, db: DbSession, coach: CoachDep):
    memo = _own_memo(db, memo_id, user)
    latest = memo_versions(db, memo_id)[-1]
    return render(
        request,
        "submit.html",
        max_chars=coach.max_chars,
        text=latest.text_content,
        memo=memo,
        latest=latest,
        idempotency_key=new_key(),
    )


@router.post("/submit", dependencies=[Depends(verify_csrf)])
@handles_maintenance_itself
async def submit(
    request: Request,
    admission: Submission,
    coach: CoachDep,
    text_content: Annotated[str, Form()] = "",
    memo_id: Annotated[int | None, Form(ge=1, le=MAX_ROW_ID)] = None,
    idempotency_key: Annotated[str | None, Form(max_length=128)] = None,
):
    """Stores the memo and queues its evaluation, then sends the writer to the evaluation page, which
    shows progress until the result arrives: a plain form post is redirected, the page's script gets JSON.
    A refusal (maintenance, rate limit, a full queue, a bad memo) gives the draft back in the form."""
    wants_json = "application/json" in request.headers.get("accept", "")

    try:
        draft = MemoDraft(text_content, memo_id, idempotency_key)
        evaluation = (await admission.submit(draft, wait_for_first=False)).evaluation
    except (Unauthenticated, Forbidden):
        raise  # to the sign-in page, like any page
    except AppError as exc:
        retry = {"Retry-After": str(exc.retry_after)} if hasattr(exc, "retry_after") else None
        message = localized_error(exc.message, exc.code, exc.details, page_gettext(request), page_language(request))
        if wants_json:
            return JSONResponse({"error": message, "field": exc.field}, status_code=exc.status, headers=retry)
        memo = None
        viewer = getattr(request.state, "viewer", None)  # known once the use case found the session's user
        if memo_id and viewer:
            memo = await run_in_threadpool(_memo_of, coach.sessions, memo_id, viewer.id)
        response = render(
            request,
            "submit.html",
            exc.status,
            max_chars=coach.max_chars,
            text=text_content,
            memo=memo,
            error=message,
            idempotency_key=idempotency_key,  # the same key again: the retry of a stored memo finds it
        )
        response.headers.update(retry or {})
        return response
    location = f"/evaluations/{evaluation.id}"
    if wants_json:
        return JSONResponse({"location": location, "evaluation_id": evaluation.id}, status_code=202)
    return RedirectResponse(location, status_code=303)


@router.get("/evaluations/{evaluation_id}")
def evaluation_page(evaluation_id: RowId, request: Request, user: Writer, db: DbSession, config: Config):
    ev = get_evaluation(db, evaluation_id, user)
    note_content_read(db, user, ev)
    view = evaluation_view(ev)
    versions = memo_versions(db, ev.memo_id)
    chat = conversation(db, ev.id)
    previous = next((v for v in reversed(versions) if v.revision < ev.revision and v.status == COMPLETED), None)
    return render(
        request,
        "evaluation.html",
        ev=view,
        title=ev.memo.title,
        owner=ev.user_id == user.id,
        rubric=rubric_for(db, config, ev.rubric_version_id),
        passages=mark_segments(view["text_content"], view["segment_feedback"]),
        versions=versions,
        previous=previous,
        changes=criterion_changes(previous.result if previous else None, view) if previous else [],
        text_changes=text_diff(previous.text_content, ev.text_content) if previous else None,
        max_diff_words=MAX_WORDS,
        chat=chat,
        askers=askers(db, chat),
        evaluation_id=ev.id,
        rating=rating_for(db, ev.id),
        max_question=MAX_QUESTION_CHARS,
    )


def _progress(ev: Evaluation) -> dict:
    return {"status": ev.status, "elapsed_seconds": round((utcnow() - ev.created_at).total_seconds(), 1)}


def _read_progress(sessions, evaluation_id: int) -> dict:
    with session_scope(sessions) as session:
        return _progress(session.get(Evaluation, evaluation_id))


@router.get("/evaluations/{evaluation_id}/progress")
async def evaluation_progress(evaluation_id: RowId, request: Request, user: Writer, db: DbSession, coach: CoachDep):
    """The evaluation's status for its page: server-sent events until it is no longer pending, or one
    JSON answer to poll (the fallback where EventSource is missing or fails). Bounded by the job's
    deadline plus two leases, after which a takeover has finished or failed it."""
    ev = await run_in_threadpool(get_evaluation, db, evaluation_id, user)
    state = _progress(ev)
    db.close()
    if "text/event-stream" not in request.headers.get("accept", ""):
        return JSONResponse(state)
    sessions = runtime_of(request).sessions
    give_up = time.monotonic() + coach.deadline_seconds + 2 * coach.leases.seconds

    async def events():
        current = state
        while True:
            yield f"event: progress\ndata: {json.dumps(current)}\n\n"
            if current["status"] != PENDING or time.monotonic() > give_up or await request.is_disconnected():
                return
            await asyncio.sleep(PROGRESS_POLL_SECONDS)
            current = await run_in_threadpool(_read_progress, sessions, evaluation_id)

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


@router.get("/evaluations/{evaluation_id}/pdf", dependencies=[throttled("pdf")])
def evaluation_pdf_download(evaluation_id: RowId, request: Request, user: Writer, db: DbSession, config: Config):
    ev = get_evaluation(db, evaluation_id, user)
    note_content_read(db, user, ev, "pdf")
    if ev.status != COMPLETED:
        raise Conflict(f"evaluation {evaluation_id} is {ev.status}; only a completed evaluation has a PDF")
    from memo_coach.coaching.pdf import evaluation_pdf  # here, not at the top: fpdf costs start-up 0.3 s

    rubric = rubric_for(db, config, ev.rubric_version_id)
    data = evaluation_pdf(evaluation_view(ev), rubric, ev.memo.title, language=page_language(request))
    disposition = f'attachment; filename="memo-evaluation-{ev.id}.pdf"'
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": disposition})
