"""Nothing a writer sent is lost: a submission whose owner died is taken over once its lease runs out."""

from datetime import timedelta

from sqlalchemy import select

from memo_coach.auth.models import User
from memo_coach.coaching.jobs import Leases, pending_counts
from memo_coach.coaching.models import COMPLETED, FAILED, PENDING, Evaluation, Memo
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from tests.support.helpers import use_fake_llm

MEMO = "We ask for two engineers by June to cut ticket backlog by 30%. Risk: hiring delays; mitigation: contractors."


def leave_pending(app, lease_left: float | None, attempts: int = 1, owner: str = "dead-host:1:abcd") -> int:
    """What a crash between storing and evaluating leaves behind: a pending row with its owner's lease."""
    with session_scope(app.state.runtime.sessions) as s:
        admin = s.scalar(select(User).where(User.username == "admin"))
        memo = Memo(user_id=admin.id, title="Crash")
        s.add(memo)
        s.flush()
        now = utcnow()
        ev = Evaluation(
            memo_id=memo.id,
            user_id=admin.id,
            text_content=MEMO,
            status=PENDING,
            attempts=attempts,
            lease_owner=owner,
            lease_expires_at=None if lease_left is None else now + timedelta(seconds=lease_left),
            deadline_at=now + timedelta(seconds=60),
        )
        s.add(ev)
        s.flush()
        return ev.id


def status_of(app, ev_id: int) -> Evaluation:
    with session_scope(app.state.runtime.sessions) as s:
        return s.get(Evaluation, ev_id)


def test_a_pending_submission_whose_lease_ran_out_is_taken_over(app):
    ev_id = leave_pending(app, lease_left=-1)
    assert app.state.runtime.coach.resume_pending(wait=True) == 1
    ev = status_of(app, ev_id)
    assert ev.status == COMPLETED and ev.text_content == MEMO and ev.overall_score is not None
    assert ev.attempts == 2 and ev.lease_owner is None


def test_a_row_from_before_leases_existed_is_taken_over_too(app):
    ev_id = leave_pending(app, lease_left=None, owner=None)
    assert app.state.runtime.coach.resume_pending(wait=True) == 1
    assert status_of(app, ev_id).status == COMPLETED


def test_a_submission_under_a_live_lease_is_left_to_its_owner(app):
    ev_id = leave_pending(app, lease_left=30)
    assert app.state.runtime.coach.resume_pending(wait=True) == 0
    assert status_of(app, ev_id).status == PENDING


def test_a_submission_interrupted_again_and_again_gets_the_offline_answer(app, fake):
    use_fake_llm(app, fake.openai_base_url)
    ev_id = leave_pending(app, lease_left=-1, attempts=3)
    assert app.state.runtime.coach.resume_pending(wait=True) == 1
    assert fake.request_count == 0  # a job that may be what crashed its owners does not call the LLM again
    ev = status_of(app, ev_id)
    assert ev.status == COMPLETED and ev.degraded and "interrupted 3 times" in ev.degraded_reason


def test_a_submission_that_keeps_crashing_is_given_up_but_kept(app):
    ev_id = leave_pending(app, lease_left=-1, attempts=5)
    app.state.runtime.coach.resume_pending(wait=True)
    ev = status_of(app, ev_id)
    assert ev.status == FAILED and ev.text_content == MEMO and "gave up" in ev.error


def test_two_processes_never_claim_the_same_submission(app):
    ev_id = leave_pending(app, lease_left=-1)
    first, second = (Leases(app.state.runtime.sessions, 6) for _ in range(2))
    assert [c.evaluation_id for c in first.claim_stranded(10)] == [ev_id]
    assert second.claim_stranded(10) == []  # the second process lost the conditional update


def test_a_result_is_written_only_by_the_lease_holder(app):
    ev_id = leave_pending(app, lease_left=-1)
    holder, latecomer = (Leases(app.state.runtime.sessions, 6) for _ in range(2))
    holder.claim_stranded(10)
    with session_scope(app.state.runtime.sessions) as s:
        admin_id = s.get(Evaluation, ev_id).user_id
        assert latecomer.finish(s, ev_id, admin_id, {"status": COMPLETED}) is False
        assert holder.finish(s, ev_id, admin_id + 1, {"status": COMPLETED}) is False  # not the owner's row
        assert holder.finish(s, ev_id, admin_id, {"status": COMPLETED}) is True


def test_pending_counts_tell_running_from_stranded(app):
    leave_pending(app, lease_left=30)
    leave_pending(app, lease_left=-5)
    with session_scope(app.state.runtime.sessions) as s:
        counts = pending_counts(s)
    assert counts["running"] == 1 and counts["stranded"] == 1 and counts["oldest_stranded_seconds"] >= 0
