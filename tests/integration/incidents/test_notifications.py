"""Notifications through apprise to a local webhook and a local SMTP server: routing, retries, the log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from memo_coach.config_store.versions import read_active
from memo_coach.db.engine import session_scope
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.evaluator import RuleEvaluator
from memo_coach.incidents.models import Notification
from memo_coach.incidents.notify import deliver_due, send_test
from memo_coach.incidents.service import open_incident
from tests.integration.incidents.conftest import T0, record, use_monitoring
from tests.support.receivers import MailReceiver, WebhookReceiver

RULE = """
  - {name: evals_degraded, summary: Evaluations degraded, severity: P2,
     source: {kind: metric, series: evaluations_degraded_ratio}, threshold: 0.2, window_seconds: 30}
"""
CHANNELS = (
    "[{name: hook, url_env: TEST_HOOK_URL, severities: [P1, P2]},"
    " {name: mail, url_env: TEST_MAIL_URL, severities: [P1, P2, P3]},"
    " {name: pager, url_env: TEST_PAGER_URL, severities: [P1]}]"
)


@pytest.fixture
def receivers(monkeypatch):
    with WebhookReceiver() as hook, MailReceiver() as mail, WebhookReceiver() as pager:
        monkeypatch.setenv("TEST_HOOK_URL", hook.url)
        monkeypatch.setenv("TEST_MAIL_URL", mail.url)
        monkeypatch.setenv("TEST_PAGER_URL", pager.url)
        yield hook, mail, pager


def deliveries(sessions) -> list[tuple[str, str, str, int]]:
    with session_scope(sessions) as session:
        rows = session.scalars(select(Notification).order_by(Notification.id)).all()
        return [(r.channel, r.event, r.status, r.attempts) for r in rows]


def test_a_firing_rule_notifies_each_channel_routed_for_its_severity_once(sessions, receivers):
    hook, mail, pager = receivers
    use_monitoring(sessions, RULE, CHANNELS)
    record(sessions, "evaluations_degraded_ratio", [1.0] * 10)
    evaluator = RuleEvaluator(sessions, "replica-a")
    for s in (30, 45, 60):
        evaluator.tick(T0 + timedelta(seconds=s))
    assert len(hook.received) == 1 and pager.received == [], "P2 goes to hook and mail, not the P1-only pager"
    assert "[P2] opened: Evaluations degraded" in hook.received[0]["title"]
    assert len(mail.messages) == 1 and mail.messages[0]["to"] == ["ops@example.test"]
    assert "Evaluations degraded" in mail.messages[0]["data"]
    assert deliveries(sessions) == [("hook", "opened", "sent", 1), ("mail", "opened", "sent", 1)]


def test_a_failed_delivery_is_retried_with_backoff_and_logged(sessions, receivers):
    hook, _, _ = receivers
    use_monitoring(sessions, RULE, "[{name: hook, url_env: TEST_HOOK_URL}]", "notify_backoff_seconds: 30")
    hook.fail_next = 2
    with session_scope(sessions) as session:
        config = read_active(session, MonitoringConfig)
        open_incident(session, config, title="Manual", severity="P3", source="manual", now=T0)
    deliver_due(sessions, config, T0)
    assert deliveries(sessions) == [("hook", "opened", "pending", 1)]
    deliver_due(sessions, config, T0 + timedelta(seconds=29))  # not due yet: 30 s after the first failure
    assert deliveries(sessions)[0][3] == 1
    deliver_due(sessions, config, T0 + timedelta(seconds=30))  # second failure: next in 60 s
    deliver_due(sessions, config, T0 + timedelta(seconds=89))
    assert deliveries(sessions)[0][2:] == ("pending", 2)
    deliver_due(sessions, config, T0 + timedelta(seconds=90))
    assert deliveries(sessions) == [("hook", "opened", "sent", 3)]
    assert len(hook.received) == 1


def test_a_channel_without_its_url_fails_for_good_with_a_readable_reason(sessions, monkeypatch):
    monkeypatch.delenv("TEST_HOOK_URL", raising=False)
    use_monitoring(sessions, RULE, "[{name: hook, url_env: TEST_HOOK_URL}]", "notify_retries: 0")
    with session_scope(sessions) as session:
        config = read_active(session, MonitoringConfig)
        open_incident(session, config, title="Manual", severity="P3", source="manual", now=T0)
    deliver_due(sessions, config, T0)
    with session_scope(sessions) as session:
        row = session.scalars(select(Notification)).one()
        assert (row.status, row.last_error) == ("failed", "TEST_HOOK_URL is not set")


def test_send_a_test_reaches_the_channel(sessions, receivers):
    hook, _, _ = receivers
    use_monitoring(sessions, RULE, CHANNELS)
    with session_scope(sessions) as session:
        row = send_test(session, read_active(session, MonitoringConfig), "hook")
        assert row.status == "sent"
    assert hook.received[0]["title"] == "Memo AI Coach: test notification"


def test_a_notification_says_severity_value_against_threshold_and_links_to_runbook_and_console(sessions, receivers):
    hook, _, _ = receivers
    use_monitoring(sessions, RULE, "[{name: hook, url_env: TEST_HOOK_URL}]")
    record(sessions, "evaluations_degraded_ratio", [0.45] * 10)
    evaluator = RuleEvaluator(sessions, "replica-a", public_url="https://coach.example.org/")
    for s in (30, 45, 60):
        evaluator.tick(T0 + timedelta(seconds=s))
    [sent] = hook.received
    body = sent["message"]
    with session_scope(sessions) as session:
        row = session.scalars(select(Notification)).one()
        incident_id, stored = row.incident_id, row.body
    meaning = MonitoringConfig().severity_meanings["P2"]
    assert f"Severity P2 ({meaning})" in body
    assert "45%" in body and "(threshold 20%)" in body and "0.45" not in body
    assert "Runbook: https://coach.example.org/ops/runbooks/evals_degraded" in body.splitlines()
    assert f"Console: https://coach.example.org/ops/incidents/{incident_id}" in body.splitlines()
    assert f"Console: /ops/incidents/{incident_id}" in stored  # the delivery log keeps paths, valid anywhere
