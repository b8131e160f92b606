"""Asking the coach a follow-up question about one evaluation (a form post; the page shows progress)."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from memo_coach.auth.models import User
from memo_coach.coaching.chat import ask
from memo_coach.coaching.service import get_evaluation
from memo_coach.web.csrf import verify_csrf
from memo_coach.web.deps import CoachDep, DbSession, RowId, Writer, runtime_of
from memo_coach.web.rate_limits import throttled

router = APIRouter(include_in_schema=False)


@router.post("/evaluations/{evaluation_id}/chat", dependencies=[Depends(verify_csrf), throttled("chat")])
async def ask_coach(
    evaluation_id: RowId,
    request: Request,
    user: Writer,
    db: DbSession,
    coach: CoachDep,
    question: Annotated[str, Form()] = "",
):
    # The owner (or an admin) only; anyone else gets a 404. A database read: in a thread, not on the
    # event loop every request shares.
    await anyio.to_thread.run_sync(_own_evaluation_then_close, db, evaluation_id, user)
    # The model may take seconds: a thread, and the chat's own short transactions, not this request's
    # session. Its own limit: questions waiting on the model must not take the threads every request needs.
    limiter = runtime_of(request).chat_threads
    await anyio.to_thread.run_sync(ask, coach.sessions, coach, evaluation_id, user.id, question, limiter=limiter)
    return RedirectResponse(f"/evaluations/{evaluation_id}#chat-latest", status_code=303)


def _own_evaluation_then_close(db: Session, evaluation_id: int, user: User) -> None:
    get_evaluation(db, evaluation_id, user)
    db.close()
