"""A restore under traffic: work in flight drains before the safety backup, ids never come back,
and what the restore undid is reported."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from memo_coach.auth.models import User
from memo_coach.coaching.models import COMPLETED
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.backups.restore import restore_backup
from memo_coach.maintenance.backups.service import create_backup, list_backups
from memo_coach.maintenance.mode.service import maintenance_state
from memo_coach.web.app import create_app
from tests.support.fake_llm import FakeLLM
from tests.support.helpers import CONFIG_DIR, use_fake_llm

MEMO = "We ask for two engineers by June to cut the ticket backlog by 30%. Approve the hires by Friday."


def _admin_id(sessions) -> int:
    with session_scope(sessions) as session:
        return session.scalar(select(User.id).where(User.username == "admin"))


def test_an_evaluation_in_flight_finishes_before_the_safety_backup(ops_settings, target, sessions):
    app = create_app(ops_settings)
    coach = app.state.runtime.coach
    made = create_backup(target)
    answered = {}
    with FakeLLM(rubric_path=CONFIG_DIR / "rubric.yaml", default="slow:2") as fake:
        use_fake_llm(app, fake.openai_base_url)
        writer = threading.Thread(target=lambda: answered.update(ev=coach.submit(_admin_id(sessions), MEMO)))
        writer.start()
        while fake.request_count == 0:  # the evaluation is waiting on the model
            time.sleep(0.05)
        result = restore_backup(target, sessions, made.id, confirmed=True, actor="test", drain_seconds=30)
        writer.join()
    ev = answered["ev"]
    assert ev.status == COMPLETED and ev.text_content == MEMO  # the writer got their own result
    safety = next(m for m in list_backups(target) if m.id == result["safety_backup_id"])
    assert safety.row_counts["evaluations"] == made.row_counts["evaluations"] + 1  # acknowledged: kept there
    assert result["drained"]["still_running"] == 0 and result["drained"]["seconds"] >= 1
    assert result["undone"]["evaluation_ids"] == [ev.id, ev.id]
    assert result["undone"]["rows"]["evaluations"] == 1 and result["ok"], result["reason"]
    app.state.runtime.coach.close()


def test_ids_undone_by_a_restore_are_never_handed_out_again(ops_settings, target, sessions):
    app = create_app(ops_settings)
    coach, admin = app.state.runtime.coach, _admin_id(sessions)
    made = create_backup(target)
    undone = [coach.submit(admin, MEMO) for _ in range(2)]
    result = restore_backup(target, sessions, made.id, confirmed=True, actor="test", drain_seconds=5)
    assert result["undone"]["evaluation_ids"] == [undone[0].id, undone[1].id]
    fresh = coach.submit(admin, MEMO)
    assert fresh.id > undone[1].id and fresh.memo_id > undone[1].memo_id
    with session_scope(sessions) as session:
        assert not maintenance_state(session).active, "the restore's window ends with it"
    app.state.runtime.coach.close()
