"""`memo-coach health` and `memo-coach status` against a real database, as a runbook would use them."""

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from memo_coach.cli.main import app as cli
from memo_coach.db.base import utcnow
from memo_coach.observability.history.models import MetricSample
from memo_coach.observability.history.rollup import RAW
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
    for text in ("overall: degraded", "last 1h:", "disk full in", "regressions against last week"):
        assert text in result.output
    as_json = json.loads(CliRunner().invoke(cli, ["status", "--json"]).output)
    assert as_json["window"] == "24h" and "capacity" in as_json


def test_status_reads_like_the_console_and_refuses_to_project_from_minutes(env):
    """Ten minutes of a fast-growing database: the console says "latest 4.9 MB" and growth not projected;
    `status` says the same, not a mean and not hundreds of megabytes a day."""
    now = utcnow()
    engine = create_engine(env)
    with Session(engine) as session, session.begin():
        for i in range(40):
            session.add(
                MetricSample(
                    ts=now - timedelta(seconds=15 * (40 - i)),
                    resolution=RAW,
                    replica="r1",
                    name="database_bytes",
                    labels="",
                    value=1e6 + i * 1e5,
                )
            )
        for value, ago in ((2.0, 10), (0.5, 5)):
            session.add(
                MetricSample(
                    ts=now - timedelta(minutes=ago),
                    resolution=300,
                    replica="r1",
                    name="requests_per_s",
                    labels="",
                    value=value,
                )
            )
    engine.dispose()
    output = CliRunner().invoke(cli, ["status", "--window", "24h"]).output
    lines = {line.split("  ")[1].strip(): line.strip() for line in output.splitlines() if line.startswith("  ")}
    assert re.fullmatch(r"database size\s+latest 4\.9 MB", lines["database size"]), output
    assert re.fullmatch(r"requests\s+mean 1\.25/s", lines["requests"]), output
    assert re.fullmatch(r"process memory\s+latest (no data yet|[\d.]+ [kMG]?B)", lines["process memory"]), output
    assert re.match(
        r"database\s+4\.9 MB; growth not projected \(not enough history yet: 9\.\d minutes", lines["database"]
    )
    assert "a day" not in lines["database"]
    assert re.match(r"evaluations\s+0 in 30 days; trend not projected \(not enough history yet", lines["evaluations"])
    assert re.match(r"disk full in\s+not projected \(", lines["disk full in"]), output
