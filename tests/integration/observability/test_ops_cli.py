"""`memo-coach health` and `memo-coach status` against a real database, as a runbook would use them."""

import json

import pytest
from sqlalchemy import create_engine
from typer.testing import CliRunner

from memo_coach.cli.main import app as cli
from memo_coach.settings import get_settings
from tests.support.helpers import CONFIG_DIR, initialise


@pytest.fixture
def env(tmp_path, sqlite_url, monkeypatch):
    monkeypatch.setenv("MEMO_COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MEMO_COACH_CONFIG_DIR", str(CONFIG_DIR))
    monkeypatch.setenv("MEMO_COACH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("MEMO_COACH_FIRST_BACKUP", "false")  # these tests read a "nothing verified yet" state
    get_settings.cache_clear()
    initialise(get_settings())
    yield sqlite_url
    get_settings.cache_clear()


def test_health_lists_components_and_exits_zero_unless_unhealthy(env):
    result = CliRunner().invoke(cli, ["health"])
    assert result.exit_code == 0, result.output  # degraded (no backup verified yet) still exits 0
    assert "overall: degraded" in result.output and "write probe" in result.output
    assert "no backup has been verified yet" in result.output
    assert "fix: Take and verify a backup now" in result.output


def test_health_exits_non_zero_when_a_component_is_unhealthy(env):
    engine = create_engine(env)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE health_probes")
    engine.dispose()
    result = CliRunner().invoke(cli, ["health", "--json"])
    assert result.exit_code == 2
    report = json.loads(result.output)
    assert report["status"] == "unhealthy"
    assert {c["name"]: c["status"] for c in report["components"]}["database"] == "unhealthy"


def test_status_summarises_the_overview(env):
    result = CliRunner().invoke(cli, ["status", "--window", "1h"])
    assert result.exit_code == 0, result.output
    for text in ("overall: degraded", "last 1h (means)", "disk full in", "regressions against last week"):
        assert text in result.output
    as_json = json.loads(CliRunner().invoke(cli, ["status", "--json"]).output)
    assert as_json["window"] == "24h" and "capacity" in as_json
