"""`memo-coach incidents` and `memo-coach alerts`, run as real processes against a real SQLite file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from memo_coach.cli.shared import CLI_ACTOR
from memo_coach.config_store.versions import read_active
from memo_coach.incidents.config import MonitoringConfig
from tests.support.helpers import CONFIG_DIR


@pytest.fixture
def run(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"ANTHROPIC_API_KEY", "OPENAI_API_KEY"}}
    env.update(MEMO_COACH_DATA_DIR=str(tmp_path / "data"), MEMO_COACH_CONFIG_DIR=str(CONFIG_DIR))
    env.pop("MEMO_COACH_DATABASE_URL", None)
    env.pop("MEMO_COACH_NOTIFY_TEAM_URL", None)
    cli = Path(sys.executable).with_name("memo-coach")

    def invoke(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(cli), *args], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)

    run_init = invoke("init")
    assert run_init.returncode == 0, run_init.stderr
    return invoke


def open_incident(tmp_path) -> int:
    """Opens one by hand through the service (the API and pages do the same)."""
    from memo_coach import assembly
    from memo_coach.db.engine import make_engine, make_session_factory, session_scope
    from memo_coach.incidents.service import open_incident as open_one

    assembly.assemble()
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'memo_coach.db'}")
    with session_scope(make_session_factory(engine)) as session:
        incident = open_one(
            session, read_active(session, MonitoringConfig), title="Backups slow", severity="P2", source="manual"
        )
        incident_id = incident.id
    engine.dispose()
    return incident_id


def test_an_incident_is_listed_acknowledged_annotated_resolved_and_reviewed(run, tmp_path):
    iid = open_incident(tmp_path)
    listed = run("incidents", "list")
    assert f"#{iid}" in listed.stdout and "P2 triggered" in listed.stdout
    assert run("incidents", "ack", str(iid), "--as", "dana").stdout.strip() == f"#{iid} acknowledged"
    assert run("incidents", "note", str(iid), "disk at 80 %", "--as", "dana").returncode == 0
    # A name given in a shell is the shell's claim: the timeline keeps the shell account beside it.
    assert f"(dana ({CLI_ACTOR}))" in run("incidents", "show", str(iid)).stdout
    assert run("incidents", "resolve", str(iid), "--message", "moved backups").returncode == 0
    refused = run("incidents", "review", str(iid), "--done")
    assert refused.returncode == 1 and "needs its review" in refused.stderr
    reviewed = run(
        "incidents",
        "review",
        str(iid),
        "--root-cause",
        "backup disk shared with logs",
        "--action",
        "split the disks",
        "--owner",
        "dana",
        "--due",
        "2030-01-31",
        "--done",
        "--markdown",
        "review.md",
    )
    assert reviewed.returncode == 0, reviewed.stderr
    text = (tmp_path / "review.md").read_text()
    assert "backup disk shared with logs" in text and "split the disks (owner dana, due 2030-01-31)" in text
    shown = run("incidents", "show", str(iid)).stdout
    for kind in ("triggered", "acknowledged", "note", "resolved", "reviewed"):
        assert kind in shown
    assert run("incidents", "list").stdout.strip() == "no open incidents"


def test_alerts_list_shows_every_rule_and_test_says_why_a_channel_failed(run):
    listed = run("alerts", "list")
    assert listed.returncode == 0
    assert "llm_unavailable" in listed.stdout and "docs/runbooks/llm_unavailable.md" in listed.stdout
    failed = run("alerts", "test", "team")
    assert failed.returncode == 1 and "MEMO_COACH_NOTIFY_TEAM_URL is not set" in failed.stdout
    unknown = run("alerts", "test", "nope")
    assert unknown.returncode == 1 and "no channel 'nope'" in unknown.stderr


def test_an_incident_is_published_under_a_public_title_and_hidden_again(run, tmp_path):
    iid = open_incident(tmp_path)
    assert "writers see: nothing (internal)" in run("incidents", "show", str(iid)).stdout
    refused = run("incidents", "publish", str(iid), "  ")
    assert refused.returncode == 1 and "needs a public title" in refused.stderr
    published = run("incidents", "publish", str(iid), "Saving memos is slow", "--as", "dana")
    assert published.stdout.strip() == f"#{iid} public: Saving memos is slow"
    shown = run("incidents", "show", str(iid)).stdout
    assert "writers see: Saving memos is slow" in shown and "visibility" in shown  # the change is on the timeline
    assert run("incidents", "hide", str(iid)).stdout.strip() == f"#{iid} internal"
    assert "writers see: nothing (internal)" in run("incidents", "show", str(iid)).stdout


def test_an_incident_is_marked_mitigated_from_the_shell(run, tmp_path):
    """The API could already; a runbook's operator had no command for it."""
    iid = open_incident(tmp_path)
    mitigated = run("incidents", "mitigate", str(iid), "--note", "moved the backups away", "--as", "dana")
    assert mitigated.returncode == 0 and mitigated.stdout.strip() == f"#{iid} mitigated", mitigated.stderr
    shown = run("incidents", "show", str(iid)).stdout
    assert "mitigated" in shown and "moved the backups away" in shown and "acknowledged" in shown
    assert "mitigated" in run("incidents", "list").stdout  # still open: the cause may remain
    assert run("incidents", "resolve", str(iid)).returncode == 0
    closed = run("incidents", "mitigate", str(iid))
    assert closed.returncode == 1 and "is resolved" in closed.stderr and "Traceback" not in closed.stderr
