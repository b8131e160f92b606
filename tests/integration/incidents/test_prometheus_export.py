"""`alerts export-prometheus`: promtool accepts and tests the rules, amtool accepts the Alertmanager config."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from memo_coach.config_store.versions import read_active
from memo_coach.db.engine import session_scope
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.prometheus_export import export


def tool(name: str, package: str, flag: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get(flag) == "1":
            pytest.fail(f"{name} is required in CI (Debian package {package})")
        pytest.skip(f"{name} not installed (Debian package {package})")
    return path


@pytest.fixture
def exported(sessions, tmp_path):
    with session_scope(sessions) as session:
        result = export(
            read_active(session, MonitoringConfig), tmp_path / "out", "http://127.0.0.1:8000", str(tmp_path / "token")
        )
    return tmp_path / "out", result


def run(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=60)


def test_the_rules_pass_promtool_check_and_their_tests(exported):
    promtool = tool("promtool", "prometheus", "MEMO_COACH_REQUIRE_PROMTOOL")
    out, result = exported
    assert result["rules"] >= 10
    checked = run(promtool, "check", "rules", "memo_coach_rules.yml", cwd=out)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = run(promtool, "test", "rules", "memo_coach_rules_test.yml", cwd=out)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_every_built_in_rule_is_exported_or_says_why_not(exported):
    out, result = exported
    alerts = {r["alert"] for r in yaml.safe_load((out / "memo_coach_rules.yml").read_text())["groups"][0]["rules"]}
    skipped = {s["rule"] for s in result["skipped"]}
    assert {"llm_unavailable", "http_5xx_high", "disk_above_95", "service_not_ready"} <= alerts
    assert {"availability_burn_fast", "availability_burn_medium", "availability_burn_slow"} <= alerts
    latency_burn = {f"evaluation_latency_burn_{s}" for s in ("fast", "medium", "slow")}
    assert skipped == {"evaluations_stranded", "account_lockouts"} | latency_burn


def test_amtool_accepts_the_alertmanager_config(exported, tmp_path):
    amtool = tool("amtool", "prometheus-alertmanager", "MEMO_COACH_REQUIRE_ALERTMANAGER")
    (tmp_path / "token").write_text("a-token\n")
    out, _ = exported
    checked = run(amtool, "check-config", "alertmanager.yml", cwd=out)
    assert checked.returncode == 0, checked.stdout + checked.stderr
