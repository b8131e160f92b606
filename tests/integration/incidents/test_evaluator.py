"""The live evaluator: `for` durations, deduplication and grouping, resolution, escalation, maintenance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from memo_coach.db.engine import session_scope
from memo_coach.incidents.evaluator import RuleEvaluator, claim_lease
from memo_coach.incidents.models import AlertEvent, Incident, IncidentEvent
from memo_coach.maintenance.mode.service import schedule_window
from tests.integration.incidents.conftest import T0, record, use_monitoring
from tests.support.helpers import make_settings


@pytest.fixture
def settings(tmp_path, database_url):
    """The lease, the conditional updates and the nested transactions run on both databases."""
    return make_settings(tmp_path, database_url)


LLM_RULES = """
  - {name: llm_down, summary: LLM down, severity: P2, source: {kind: health, components: [llm], aggregate: min},
     op: ">=", threshold: 1, window_seconds: 30, for_seconds: 30, group: llm, component: evaluations}
  - {name: evals_degraded, summary: Evaluations degraded, severity: P2,
     source: {kind: metric, series: evaluations_degraded_ratio}, threshold: 0.2, window_seconds: 30, group: llm,
     component: evaluations}
"""


def run(evaluator: RuleEvaluator, seconds: list[int]) -> dict[int, dict]:
    return {s: evaluator.tick(T0 + timedelta(seconds=s)) for s in seconds}


def incidents(sessions) -> list[Incident]:
    with session_scope(sessions) as session:
        rows = session.scalars(select(Incident).order_by(Incident.id)).all()
        session.expunge_all()
        return rows


def test_it_fires_only_after_the_for_duration_and_groups_related_alerts(sessions):
    use_monitoring(sessions, LLM_RULES)
    record(sessions, "health_status", [1.0] * 20, label="llm")  # degraded for 5 minutes
    record(sessions, "evaluations_degraded_ratio", [1.0] * 20)
    evaluator = RuleEvaluator(sessions, "replica-a")
    passes = run(evaluator, [30, 45, 60, 75])
    assert passes[30] == {"llm_down": None, "evals_degraded": "fired"}  # no `for`: fires at once
    assert passes[45]["llm_down"] is None  # held for 15 s of its 30
    assert passes[60]["llm_down"] == "fired"
    opened = incidents(sessions)
    assert len(opened) == 1, "both alerts of the llm group share one incident"
    assert (opened[0].severity, opened[0].status, opened[0].component) == ("P2", "triggered", "evaluations")
    with session_scope(sessions) as session:
        fired = session.scalar(select(func.count()).select_from(AlertEvent).where(AlertEvent.kind == "fired"))
    assert fired == 2


def test_it_resolves_when_every_alert_of_the_incident_clears(sessions):
    use_monitoring(sessions, LLM_RULES)
    record(sessions, "health_status", [1.0] * 8 + [0.0] * 12, label="llm")
    record(sessions, "evaluations_degraded_ratio", [1.0] * 6 + [0.0] * 14)
    evaluator = RuleEvaluator(sessions, "replica-a")
    passes = run(evaluator, [30, 60, 120])
    assert passes[120]["evals_degraded"] == "cleared"
    assert incidents(sessions)[0].status == "triggered", "llm_down still fires"
    passes |= run(evaluator, [135, 150, 165])
    cleared_at = next(s for s, p in passes.items() if p["llm_down"] == "cleared")
    (incident,) = incidents(sessions)
    assert incident.status == "resolved" and incident.resolved_at == T0 + timedelta(seconds=cleared_at)
    with session_scope(sessions) as session:
        kinds = session.scalars(
            select(IncidentEvent.kind).where(IncidentEvent.incident_id == incident.id).order_by(IncidentEvent.id)
        ).all()
    assert kinds == ["triggered", "alert_fired", "alert_fired", "alert_cleared", "alert_cleared", "resolved"]


def test_a_firing_rule_updates_its_open_incident_instead_of_opening_another(sessions):
    use_monitoring(sessions, LLM_RULES)
    record(sessions, "evaluations_degraded_ratio", [1.0] * 4 + [0.0] * 4 + [1.0] * 4)
    evaluator = RuleEvaluator(sessions, "replica-a")
    run(evaluator, [30, 90, 150])
    # fired at 30, cleared at 90 (resolved), fired again at 150: a new incident, the old one stays resolved
    states = [i.status for i in incidents(sessions)]
    assert states == ["resolved", "triggered"]
    run(evaluator, [165, 180])
    assert [i.status for i in incidents(sessions)] == ["resolved", "triggered"], "still one open incident"


def test_only_the_lease_holder_evaluates(sessions):
    use_monitoring(sessions, LLM_RULES)
    first, second = RuleEvaluator(sessions, "replica-a"), RuleEvaluator(sessions, "replica-b")
    assert first.tick(T0) is not None
    assert second.tick(T0 + timedelta(seconds=1)) is None
    # The holder stops; after three intervals the lease expires and the other one takes over.
    assert second.tick(T0 + timedelta(seconds=46)) is not None
    with session_scope(sessions) as session:
        assert not claim_lease(session, "replica-a", T0 + timedelta(seconds=50), 45)


def test_an_unacknowledged_incident_is_escalated_once_after_its_target(sessions):
    use_monitoring(sessions, LLM_RULES, extra="response_minutes: {P1: 5, P2: 1, P3: 240, P4: 1440}")
    record(sessions, "evaluations_degraded_ratio", [1.0] * 40)
    evaluator = RuleEvaluator(sessions, "replica-a")
    run(evaluator, [30, 60, 89])
    assert incidents(sessions)[0].escalated_at is None
    run(evaluator, [90, 105, 120])
    (incident,) = incidents(sessions)
    assert incident.escalated_at == T0 + timedelta(seconds=90)
    with session_scope(sessions) as session:
        escalations = session.scalar(
            select(func.count()).select_from(IncidentEvent).where(IncidentEvent.kind == "escalated")
        )
    assert escalations == 1


def test_an_acknowledged_incident_is_not_escalated(sessions):
    from memo_coach.incidents.service import acknowledge, get_incident

    use_monitoring(sessions, LLM_RULES, extra="response_minutes: {P1: 5, P2: 1, P3: 240, P4: 1440}")
    record(sessions, "evaluations_degraded_ratio", [1.0] * 40)
    evaluator = RuleEvaluator(sessions, "replica-a")
    run(evaluator, [30])
    with session_scope(sessions) as session:
        acknowledge(session, get_incident(session, incidents(sessions)[0].id), "op1", T0 + timedelta(seconds=40))
    run(evaluator, [120, 180])
    assert incidents(sessions)[0].escalated_at is None


def test_alerts_inside_a_maintenance_window_are_held_back_and_recorded(sessions):
    use_monitoring(sessions, LLM_RULES)
    record(sessions, "evaluations_degraded_ratio", [1.0] * 40)
    with session_scope(sessions) as session:
        schedule_window(session, "op1", T0, T0 + timedelta(minutes=2), "database upgrade")
    evaluator = RuleEvaluator(sessions, "replica-a")
    run(evaluator, [30, 60, 90])
    assert incidents(sessions) == []
    with session_scope(sessions) as session:
        held = session.scalars(select(AlertEvent.kind).where(AlertEvent.rule == "evals_degraded")).all()
    assert held == ["held"]
    run(evaluator, [135])  # the window is over and the rule still fires: now it opens the incident
    assert [i.status for i in incidents(sessions)] == ["triggered"]


GROUP_WITH_A_SLOW_RULE = """
  - {name: llm_down, summary: LLM down, severity: P2, source: {kind: health, components: [llm], aggregate: min},
     op: ">=", threshold: 1, window_seconds: 15, group: llm, component: evaluations}
  - {name: evals_degraded, summary: Evaluations degraded, severity: P2,
     source: {kind: metric, series: evaluations_degraded_ratio}, threshold: 0.2, window_seconds: 15,
     for_seconds: 30, group: llm, component: evaluations}
"""


def test_an_incident_waits_for_a_pending_alert_of_its_group_instead_of_opening_a_second_one(sessions):
    """The LLM outage drill's race: the health rule clears in the pass where the slower degraded-ratio
    rule, pending since the outage, fires; resolving first would open a second incident for one outage."""
    use_monitoring(sessions, GROUP_WITH_A_SLOW_RULE)
    record(sessions, "health_status", [1.0] * 4 + [0.0] * 8, label="llm")
    record(sessions, "evaluations_degraded_ratio", [0.0] * 3 + [1.0] * 4 + [0.0] * 5)
    evaluator = RuleEvaluator(sessions, "replica-a")
    passes = run(evaluator, [15, 30, 45, 60, 75, 90, 105, 120, 135])
    cleared = next(s for s, p in passes.items() if p["llm_down"] == "cleared")
    fired = next(s for s, p in passes.items() if p["evals_degraded"] == "fired")
    assert fired > cleared, "the degraded rule was still pending when the LLM rule cleared"
    (incident,) = incidents(sessions)
    ended = next(s for s, p in passes.items() if p["evals_degraded"] == "cleared")
    assert incident.status == "resolved" and incident.resolved_at == T0 + timedelta(seconds=ended)


def test_an_incident_waiting_for_a_pending_alert_resolves_when_it_stops_holding(sessions):
    use_monitoring(sessions, GROUP_WITH_A_SLOW_RULE)
    record(sessions, "health_status", [1.0] * 4 + [0.0] * 8, label="llm")
    record(sessions, "evaluations_degraded_ratio", [0.0] * 3 + [1.0] * 2 + [0.0] * 7)
    evaluator = RuleEvaluator(sessions, "replica-a")
    passes = run(evaluator, [15, 30, 45, 60, 75, 90, 105])
    assert all(p["evals_degraded"] is None for p in passes.values()), "pending, then not holding: never fired"
    cleared = next(s for s, p in passes.items() if p["llm_down"] == "cleared")
    (incident,) = incidents(sessions)
    assert incident.status == "resolved" and incident.resolved_at > T0 + timedelta(seconds=cleared)
