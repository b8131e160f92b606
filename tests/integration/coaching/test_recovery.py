"""Nothing a writer sent is lost: a submission a crash left pending is finished at the next start."""

from datetime import timedelta

from sqlalchemy import select

from memo_coach.auth.models import User
from memo_coach.coaching.models import COMPLETED, FAILED, PENDING, Evaluation, Memo
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope

MEMO = "We ask for two engineers by June to cut ticket backlog by 30%. Risk: hiring delays; mitigation: contractors."


def leave_pending(app, minutes_ago: float, attempts: int = 1) -> int:
    """What a crash between storing and evaluating leaves behind."""
    with session_scope(app.state.sessions) as s:
        admin = s.scalar(select(User).where(User.username == "admin"))
        memo = Memo(user_id=admin.id, title="Crash")
        s.add(memo)
        s.flush()
        ev = Evaluation(
            memo_id=memo.id,
            user_id=admin.id,
            text_content=MEMO,
            status=PENDING,
            attempts=attempts,
            created_at=utcnow() - timedelta(minutes=minutes_ago),
        )
        s.add(ev)
        s.flush()
        return ev.id


def status_of(app, ev_id: int) -> Evaluation:
    with session_scope(app.state.sessions) as s:
        return s.get(Evaluation, ev_id)


def test_an_old_pending_submission_is_evaluated_on_resume(app):
    ev_id = leave_pending(app, minutes_ago=10)
    assert app.state.coach.resume_pending() == 1
    ev = status_of(app, ev_id)
    assert ev.status == COMPLETED and ev.text_content == MEMO and ev.overall_score is not None


def test_a_fresh_pending_submission_is_left_to_the_request_still_running_it(app):
    ev_id = leave_pending(app, minutes_ago=0)
    assert app.state.coach.resume_pending() == 0
    assert status_of(app, ev_id).status == PENDING


def test_a_submission_that_keeps_crashing_is_given_up_but_kept(app):
    ev_id = leave_pending(app, minutes_ago=10, attempts=3)
    assert app.state.coach.resume_pending() == 0
    ev = status_of(app, ev_id)
    assert ev.status == FAILED and ev.text_content == MEMO and "gave up" in ev.error


def test_two_resumers_never_run_the_same_submission(app):
    ev_id = leave_pending(app, minutes_ago=10)
    coach = app.state.coach
    assert coach._claim(ev_id, 1) is True
    assert coach._claim(ev_id, 1) is False  # the second replica lost the conditional update
