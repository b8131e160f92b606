"""The service answers a submission with rows it built instead of read back; they must equal the stored ones."""

from concurrent.futures import Future

from sqlalchemy import select

from memo_coach.auth.models import User
from memo_coach.coaching.models import Evaluation
from memo_coach.coaching.service import evaluation_view
from memo_coach.db.engine import session_scope

MEMO = "Subject: Two engineers\n\nWe ask for two engineers by June to cut the backlog by 30%. Risk: hiring delays."


def stored(app, evaluation_id: int) -> dict:
    with session_scope(app.state.runtime.sessions) as s:
        return evaluation_view(s.get(Evaluation, evaluation_id))


def admin_id(app) -> int:
    with session_scope(app.state.runtime.sessions) as s:
        return s.scalar(select(User.id).where(User.username == "admin"))


def test_the_finished_answer_is_the_stored_row(app):
    coach = app.state.runtime.coach
    answer = coach.submit(admin_id(app), MEMO)
    assert answer.status == "completed" and evaluation_view(answer) == stored(app, answer.id)
    again = coach.submit(admin_id(app), MEMO, memo_id=answer.memo_id)  # a revision: the memo row is read
    assert again.revision == 2 and evaluation_view(again) == stored(app, again.id)


def test_the_pending_answer_is_the_stored_row(app):
    coach = app.state.runtime.coach
    held = coach.queue.run
    coach.queue.run = lambda fn, *args: Future()  # stored, never evaluated: the row stays pending
    try:
        writer = admin_id(app)
        pending, _ = coach.accept(lambda session, config: writer, MEMO, idempotency_key="k-1")
    finally:
        coach.queue.run = held
        coach.queue.release()
    assert pending.status == "pending" and evaluation_view(pending) == stored(app, pending.id)
