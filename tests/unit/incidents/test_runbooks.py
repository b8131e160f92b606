"""Every alert rule shipped in config/monitoring.yaml (SLO burn rules too) has its runbook."""

from __future__ import annotations

from pathlib import Path

import yaml

from memo_coach.incidents.config import MonitoringConfig

REPO = Path(__file__).resolve().parents[3]


def shipped() -> MonitoringConfig:
    return MonitoringConfig.model_validate(yaml.safe_load((REPO / "config" / "monitoring.yaml").read_text()))


def test_every_rule_has_a_runbook():
    missing = [r.runbook for r in shipped().all_rules() if not (REPO / r.runbook).is_file()]
    assert missing == []


def test_the_defaults_the_issue_asks_for_are_shipped_with_their_severity():
    severities = {r.name: r.severity for r in shipped().all_rules()}
    assert severities == severities | {
        "service_not_ready": "P1",
        "http_5xx_high": "P2",
        "latency_p95_high": "P3",
        "evaluations_degraded": "P2",
        "llm_unavailable": "P2",
        "disk_above_85": "P3",
        "disk_above_95": "P1",
        "config_file_refused": "P3",
        "task_overdue_or_failing": "P2",
        "backup_verification_failed": "P2",
        "evaluations_stranded": "P2",
        "account_lockouts": "P3",
        "availability_burn_fast": "P2",
        "availability_burn_medium": "P2",
        "availability_burn_slow": "P4",
    }


def test_no_runbook_is_left_without_a_rule():
    used = {Path(r.runbook).name for r in shipped().all_rules()}
    # troubleshoot-*.md are the support runbooks, one per symptom (docs/troubleshooting.md), not per rule.
    rule_runbooks = {
        p.name for p in (REPO / "docs" / "runbooks").glob("*.md") if not p.name.startswith("troubleshoot-")
    }
    assert rule_runbooks == used
