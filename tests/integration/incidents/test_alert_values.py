"""Alert values as a person reads them (rounded, with unit and threshold) wherever they are shown, and
the same set of rules, SLO burn-rate rules included, in the console, the API and the command line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from memo_coach.config_store.versions import read_active
from memo_coach.db.engine import session_scope
from memo_coach.incidents.alert_list import value_text
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.evaluator import RuleEvaluator
from memo_coach.incidents.models import AlertState, IncidentEvent, Notification
from tests.integration.incidents.conftest import T0, record, use_monitoring

RAW_VALUE = 0.10670941151957304
DISK_RULE = """
  - {name: disk_above_10, summary: The data disk is more than 10 % full, severity: P3,
     source: {kind: metric, series: disk_used_ratio, aggregate: last}, threshold: 0.1, window_seconds: 60}
"""
CHANNELS = "[{name: team, url_env: TEST_TEAM_URL, severities: [P1, P2, P3, P4]}]"


def rules(sessions) -> MonitoringConfig:
    with session_scope(sessions) as session:
        return read_active(session, MonitoringConfig)


@pytest.mark.parametrize(
    ("rule", "value", "said"),
    [
        ("disk_above_85", RAW_VALUE, "disk used 10.7% (threshold 85%)"),
        ("http_5xx_high", 0.0123456, "5xx error rate 1.23% (threshold 5%)"),
        ("latency_p95_high", 0.2404, "p95 latency 240 ms (threshold 2 s)"),
        ("evaluations_degraded", 0.5, "evaluations degraded 50% (threshold 20%)"),
        ("llm_unavailable", 1.0, "health of llm: degraded (threshold degraded)"),
        ("evaluations_stranded", 3.0, "stranded evaluations: 3 (threshold 0)"),
        ("account_lockouts", None, "locked accounts: no value yet (threshold 3)"),
        ("availability_burn_fast", 2.04081632, "availability error budget burning 2.04× (threshold 14.4×)"),
    ],
)
def test_each_kind_of_rule_says_its_value_with_unit_and_threshold(sessions, rule, value, said):
    assert value_text(rules(sessions).rule(rule), value) == said


def test_the_api_lists_every_rule_the_console_does_with_raw_and_readable_values(client, admin_headers, sessions):
    with session_scope(sessions) as session:
        session.add(AlertState(rule="disk_above_85", state="inactive", value=RAW_VALUE))
    config = rules(sessions)
    listed = client.get("/api/v1/alerts", headers=admin_headers).json()["data"]
    assert [row["rule"] for row in listed] == [r.name for r in config.all_rules()]
    assert {"availability_burn_fast", "evaluation_latency_burn_slow"} <= {row["rule"] for row in listed}
    disk = next(row for row in listed if row["rule"] == "disk_above_85")
    assert disk["value"] == RAW_VALUE and disk["threshold"] == 0.85
    assert disk["value_text"] == "disk used 10.7% (threshold 85%)"

    console = client.get("/ops/incidents", headers=admin_headers).text
    assert "disk used 10.7% (threshold 85%)" in console and str(RAW_VALUE) not in console
    assert all(f"<td>{r.name}</td>" in console for r in config.all_rules())


def test_alerts_list_has_a_header_and_every_rule_the_console_shows(command_line, sessions):
    with session_scope(sessions) as session:
        session.add(AlertState(rule="disk_above_85", state="inactive", value=RAW_VALUE))
    result = command_line("alerts", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["RULE", "SEV", "STATE", "VALUE", "RUNBOOK"]
    names = [line.split()[0] for line in lines[1:]]
    assert names == [r.name for r in rules(sessions).all_rules()]
    assert "disk used 10.7% (threshold 85%)" in result.output and str(RAW_VALUE) not in result.output
    assert "docs/runbooks/slo_burn.md" in result.output


def test_the_timeline_and_the_notification_carry_the_readable_value_and_runbook(sessions):
    use_monitoring(sessions, DISK_RULE, CHANNELS)
    record(sessions, "disk_used_ratio", [RAW_VALUE] * 4)
    assert RuleEvaluator(sessions, "replica-a").tick(T0 + timedelta(seconds=50))["disk_above_10"] == "fired"
    with session_scope(sessions) as session:
        events = session.scalars(select(IncidentEvent.message).where(IncidentEvent.kind == "alert_fired")).all()
        body = session.scalars(select(Notification.body)).one()
    said = "disk used 10.7% (threshold 10%)"
    assert events == [f"disk_above_10: The data disk is more than 10 % full; {said}"]
    assert f"Alert disk_above_10: {said}." in body and "Runbook: " in body and str(RAW_VALUE) not in body
