"""SLOs: error budget left and multiwindow burn-rate alerts, evaluated like any other rule."""

from __future__ import annotations

from datetime import timedelta

from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.evaluator import RuleEvaluator
from memo_coach.incidents.slo import slo_report
from tests.integration.incidents.conftest import record, use_monitoring

SLOS = "slos: [{name: availability, kind: availability, objective: 0.999}, {name: evaluation_latency, kind: latency, objective: 0.95}]"


def test_a_fast_burn_fires_the_p2_alert_and_the_budget_shows_overspent(sessions):
    use_monitoring(sessions, "  []", extra=SLOS)
    now = utcnow().replace(microsecond=0)
    hour_ago = now - timedelta(hours=1)
    record(sessions, "requests_per_s", [10.0] * 240, start=hour_ago)
    record(sessions, "error_rate", [0.02] * 240, start=hour_ago)  # 2 % errors: 20x the 0.1 % budget
    transitions = RuleEvaluator(sessions, "replica-a").tick(now)
    assert transitions["availability_burn_fast"] == "fired"
    assert transitions["availability_burn_medium"] == "fired"  # 6 h and 30 min: only this hour has data
    assert transitions["availability_burn_slow"] == "fired"
    with session_scope(sessions) as session:
        (availability, latency) = slo_report(session, read_active(session, MonitoringConfig), now)
    assert availability["good_ratio"] == 0.98
    assert availability["error_budget_left"] == -19.0  # spent twenty budgets' worth
    assert round(availability["burn_rates"]["fast"], 6) == 20.0
    assert latency["good_ratio"] is None, "no evaluations yet: nothing to judge"


def test_a_healthy_hour_burns_nothing(sessions):
    use_monitoring(sessions, "  []", extra=SLOS)
    now = utcnow().replace(microsecond=0)
    record(sessions, "requests_per_s", [10.0] * 240, start=now - timedelta(hours=1))
    record(sessions, "error_rate", [0.0] * 240, start=now - timedelta(hours=1))
    transitions = RuleEvaluator(sessions, "replica-a").tick(now)
    assert not any(transitions[f"availability_burn_{s}"] for s in ("fast", "medium", "slow"))


def test_evaluation_latency_counts_finished_evaluations_within_the_bound(client, sessions, writer_headers):
    use_monitoring(sessions, "  []", extra=SLOS)
    for _ in range(3):  # the offline analyzer answers in well under 15 s
        client.post(
            "/api/v1/evaluations/submit",
            headers=writer_headers,
            json={"text_content": "Please approve the budget by Friday."},
        )
    with session_scope(sessions) as session:
        latency = slo_report(session, read_active(session, MonitoringConfig), utcnow() + timedelta(seconds=1))[1]
    assert latency["good_ratio"] == 1.0 and latency["error_budget_left"] == 1.0
