"""The live-only sources: stranded evaluations, account lockouts, expiry dates; and escalation routing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from memo_coach.auth.models import LoginAttempt, User
from memo_coach.coaching.models import Evaluation, Memo
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.incidents.evaluator import RuleEvaluator
from memo_coach.incidents.models import Incident, Notification
from tests.integration.incidents.conftest import use_monitoring

STRANDED = """
  - {name: stranded, summary: Stranded, severity: P2, source: {kind: pending_evaluations, older_than_seconds: 300},
     threshold: 0}
"""
LOCKOUTS = """
  - {name: lockouts, summary: Lockouts, severity: P3, source: {kind: lockouts}, op: ">=", threshold: 2,
     window_seconds: 900}
"""
EXPIRY = """
  - {name: cert_expiry, summary: Certificate expires soon, severity: P3, source: {kind: expiry, env: TEST_CERT_NOT_AFTER},
     op: "<", threshold: 14}
"""


def test_evaluations_pending_longer_than_the_threshold_fire(sessions, admin_password):
    use_monitoring(sessions, STRANDED)
    now = utcnow()
    with session_scope(sessions) as session:
        admin = session.scalars(select(User)).first()
        memo = Memo(user_id=admin.id, title="t")
        session.add(memo)
        session.flush()
        session.add(
            Evaluation(memo_id=memo.id, user_id=admin.id, text_content="x", created_at=now - timedelta(minutes=2))
        )
    evaluator = RuleEvaluator(sessions, "replica-a")
    assert evaluator.tick(now)["stranded"] is None, "two minutes pending is still in progress"
    assert evaluator.tick(now + timedelta(minutes=4))["stranded"] == "fired"


def test_accounts_locked_by_failed_sign_ins_fire(sessions):
    use_monitoring(sessions, LOCKOUTS)
    now = utcnow()
    with session_scope(sessions) as session:
        for user in ("ann", "bob", "cy"):
            failures = 5 if user != "cy" else 4  # auth.yaml locks an account at 5 failures
            session.add_all(
                LoginAttempt(username=user, client_address="10.0.0.9", succeeded=False, at=now - timedelta(minutes=i))
                for i in range(failures)
            )
    assert RuleEvaluator(sessions, "replica-a").tick(now)["lockouts"] == "fired"


def test_an_expiry_date_in_the_environment_fires_two_weeks_ahead(sessions, monkeypatch):
    use_monitoring(sessions, EXPIRY)
    now = utcnow()
    evaluator = RuleEvaluator(sessions, "replica-a")
    monkeypatch.setenv("TEST_CERT_NOT_AFTER", (now + timedelta(days=30)).isoformat())
    assert evaluator.tick(now)["cert_expiry"] is None
    monkeypatch.setenv("TEST_CERT_NOT_AFTER", (now + timedelta(days=10)).isoformat())
    assert evaluator.tick(now + timedelta(seconds=15))["cert_expiry"] == "fired"


def test_an_escalation_also_reaches_the_escalation_only_channel(sessions, monkeypatch):
    monkeypatch.delenv("TEST_UNSET_URL", raising=False)
    channels = (
        "[{name: team, url_env: TEST_UNSET_URL}, {name: manager, url_env: TEST_UNSET_URL, escalation_only: true}]"
    )
    use_monitoring(sessions, STRANDED, channels, "response_minutes: {P1: 5, P2: 1, P3: 240, P4: 1440}")
    now = utcnow()
    with session_scope(sessions) as session:
        admin = session.scalars(select(User)).first()
        memo = Memo(user_id=admin.id, title="t")
        session.add(memo)
        session.flush()
        session.add(
            Evaluation(memo_id=memo.id, user_id=admin.id, text_content="x", created_at=now - timedelta(hours=1))
        )
    evaluator = RuleEvaluator(sessions, "replica-a")
    evaluator.tick(now)
    evaluator.tick(now + timedelta(minutes=2))
    with session_scope(sessions) as session:
        sent = session.execute(select(Notification.channel, Notification.event).order_by(Notification.id)).all()
        assert session.scalars(select(Incident.escalated_at)).one() == now + timedelta(minutes=2)
    assert sent == [("team", "opened"), ("team", "escalated"), ("manager", "escalated")]
