"""`memo-coach doctor` on a healthy installation, and every check failing on a broken one.

Each test breaks one real thing (a file, a row, a mode, a server) and runs the real checks.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import update
from typer.testing import CliRunner

from memo_coach import audit
from memo_coach.audit.models import AuditEvent
from memo_coach.audit.sealing import sealed
from memo_coach.cli.main import app as cli
from memo_coach.coaching.models import PENDING, Evaluation, Memo
from memo_coach.db.base import utcnow
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.maintenance.backups.service import BackupTarget, create_backup, verify_backup
from memo_coach.support.doctor.result import FAIL, OK, WARN
from memo_coach.support.doctor.runner import build_context, run_doctor
from tests.integration.support.conftest import open_incident_on
from tests.support.fake_llm import FakeLLM
from tests.support.helpers import initialise, make_settings


@pytest.fixture
def installed(tmp_path, sqlite_url):
    """An initialised installation with private files and one verified backup: what doctor calls healthy."""
    settings = make_settings(tmp_path, sqlite_url)
    initialise(settings)
    engine = make_engine(settings.sqlalchemy_url)
    sessions = make_session_factory(engine)
    target = BackupTarget.of(settings, engine)
    verify_backup(target, sessions, create_backup(target).id)
    engine.dispose()
    for path in (settings.data_dir, settings.backups_path):
        path.chmod(0o700)
    for path in (db_file(settings), settings.data_dir / "secret_key"):
        path.chmod(0o600)
    return settings


def db_file(settings) -> Path:
    return Path(settings.database_url.split("///", 1)[1])


# What the checks find, not how fast: a loaded CI machine may need more than support.yaml's 0.8 s.
PATIENT = 20.0


def doctor(settings, budget: float | None = PATIENT, **options) -> dict[str, dict]:
    report = run_doctor(build_context(settings, **options), budget)
    return {c["name"]: c for c in report["checks"]} | {"_report": report}


def sessions_of(settings):
    """Sessions like the service's: what they record is sealed, as the doctor now checks."""
    return sealed(make_session_factory(make_engine(settings.sqlalchemy_url)), settings)


def test_a_healthy_installation_is_ok_everywhere(installed):
    checks = doctor(installed)
    report = checks.pop("_report")
    assert {name: c["status"] for name, c in checks.items()} == dict.fromkeys(checks, OK), report
    assert report["status"] == OK and len(checks) == 12


def test_the_command_prints_each_check_and_exits_non_zero_only_on_fail(installed, monkeypatch):
    monkeypatch.setenv("MEMO_COACH_DATA_DIR", str(installed.data_dir))
    monkeypatch.setenv("MEMO_COACH_CONFIG_DIR", str(installed.config_dir))
    monkeypatch.setenv("MEMO_COACH_DATABASE_URL", installed.database_url)
    from memo_coach.settings import get_settings

    get_settings.cache_clear()
    try:
        ok = CliRunner().invoke(cli, ["doctor", "--json", "--budget", str(PATIENT)])
        assert ok.exit_code == 0, ok.output
        assert json.loads(ok.output)["status"] == OK
        (installed.data_dir / "secret_key").chmod(0o644)
        broken = CliRunner().invoke(cli, ["doctor", "--budget", str(PATIENT)])
        assert broken.exit_code == 2
        assert (
            "FAIL  file_modes" in broken.output and "runbook: docs/runbooks/troubleshoot-file-modes.md" in broken.output
        )
    finally:
        get_settings.cache_clear()


def test_versions_warn_past_the_end_of_life_of_python(installed):
    ctx = build_context(installed)
    ctx.now = ctx.now.replace(year=2031)  # config/support.yaml: python 3.11 ends 2027-10-31
    check = {c["name"]: c for c in run_doctor(ctx, PATIENT)["checks"]}["versions"]
    assert (
        check["status"] == WARN
        and "end of life" in check["summary"]
        and check["runbook"].endswith("troubleshoot-versions.md")
    )


def test_a_refused_configuration_file_fails(installed):
    (installed.config_dir / "llm.yaml").write_text("provider: [unclosed\n")
    check = doctor(installed)["configuration"]
    assert check["status"] == FAIL and "llm.yaml" in check["summary"]
    assert check["runbook"] == "docs/runbooks/troubleshoot-config-refused.md" and "config validate" in check["fix"]


def test_a_missing_database_fails_and_the_checks_that_need_it_say_why(tmp_path):
    settings = make_settings(tmp_path, f"sqlite:///{tmp_path / 'nothing-here.db'}")
    checks = doctor(settings)
    assert checks["database"]["status"] == FAIL and "memo-coach init" in checks["database"]["summary"]
    assert checks["audit_chain"]["status"] == FAIL and "unreachable" in checks["audit_chain"]["summary"]
    assert not (tmp_path / "nothing-here.db").exists()  # the doctor never creates a database


def test_an_unreachable_postgresql_fails_fast(tmp_path):
    settings = make_settings(tmp_path, "postgresql://postgres@127.0.0.1:1/nothing")
    checks = doctor(settings)
    assert checks["database"]["status"] == FAIL and checks["_report"]["seconds"] < 3


def test_a_locked_database_fails(installed):
    holder = sqlite3.connect(db_file(installed))
    holder.execute("BEGIN EXCLUSIVE")
    try:
        check = doctor(installed, offline=True)["database"]
    finally:
        holder.rollback()
        holder.close()
    assert check["status"] == FAIL and "locked" in check["summary"]


def test_a_schema_behind_the_code_fails(installed):
    with session_scope(sessions_of(installed)) as session:
        session.connection().exec_driver_sql("UPDATE alembic_version SET version_num = '0005'")
    check = doctor(installed)["database"]
    assert check["status"] == FAIL and "db upgrade" in check["fix"]


def test_a_corrupt_database_fails_the_integrity_check(installed):
    path = db_file(installed)
    size = path.stat().st_size
    with path.open("r+b") as f:  # garble pages in the middle, keep the header readable
        f.seek(size // 2)
        f.write(os.urandom(min(16384, size // 4)))
    assert doctor(installed)["integrity"]["status"] == FAIL


def test_disk_thresholds(installed):
    ctx = build_context(installed)
    ctx.config = ctx.config.model_copy(
        update={
            "doctor": ctx.config.doctor.model_copy(
                update={"disk_warn_free_percent": 100, "disk_fail_free_percent": 99.99}
            )
        }
    )
    from memo_coach.support.doctor.system_checks import check_disk

    assert check_disk(ctx).status == FAIL


def test_a_readable_secret_key_fails_and_world_readable_data_warns(installed):
    (db_file(installed)).chmod(0o644)
    assert doctor(installed)["file_modes"]["status"] == WARN
    (installed.data_dir / "secret_key").chmod(0o640)
    assert doctor(installed)["file_modes"]["status"] == FAIL


def test_an_overdue_task_warns(installed):
    from memo_coach.maintenance.scheduler.models import TaskLease

    with session_scope(sessions_of(installed)) as session:
        session.add(TaskLease(name="backup", created_at=utcnow() - timedelta(days=3), last_status="failed"))
    check = doctor(installed)["scheduler"]
    assert check["status"] == WARN and "backup" in check["summary"]


def test_backups_fail_when_the_last_verification_failed_and_warn_when_old(installed):
    from memo_coach.maintenance.backups.models import BackupCheck

    with session_scope(sessions_of(installed)) as session:
        session.execute(update(BackupCheck).values(at=utcnow() - timedelta(days=3)))
    assert doctor(installed)["backups"]["status"] == WARN
    with session_scope(sessions_of(installed)) as session:
        session.add(BackupCheck(backup_id="x", kind="verify", ok=False, reason="checksum mismatch"))
    check = doctor(installed)["backups"]
    assert check["status"] == FAIL and "checksum mismatch" in check["summary"]


def test_an_edited_audit_row_breaks_the_chain(installed):
    with session_scope(sessions_of(installed)) as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == 1).values(actor="mallory"))
    check = doctor(installed)["audit_chain"]
    assert check["status"] == FAIL and "event 1" in check["summary"]


def test_an_event_added_without_the_audit_key_breaks_the_chain(installed):
    """Someone with the database but not the key can append a perfectly linked event; its missing seal shows."""
    with session_scope(make_session_factory(make_engine(installed.sqlalchemy_url))) as session:
        forged = audit.record(session, "mallory", "user.role_changed", "mallory", {"role": "admin"})
        forged_id = forged.id
    check = doctor(installed)["audit_chain"]
    assert check["status"] == FAIL and f"event {forged_id}" in check["summary"]


def test_a_stranded_evaluation_fails(installed):
    with session_scope(sessions_of(installed)) as session:
        memo = Memo(user_id=1, title="t")
        session.add(memo)
        session.flush()
        session.add(
            Evaluation(
                memo_id=memo.id, user_id=1, text_content="x", status=PENDING, created_at=utcnow() - timedelta(hours=1)
            )
        )
    check = doctor(installed)["pending_evaluations"]
    assert check["status"] == FAIL and check["runbook"].endswith("troubleshoot-stranded-evaluations.md")


def test_an_open_incident_warns(installed):
    with session_scope(sessions_of(installed)) as session:
        ref = open_incident_on(session, "disk", "Disk filling").id
    check = doctor(installed)["incidents"]
    assert check["status"] == WARN and check["summary"].startswith(f"1 open incident: #{ref} Disk filling (website")


def test_open_incidents_are_counted_once_each_whatever_their_timeline(installed):
    """A game day read "1 open: 5 Disk filling" as five incidents, then seven: the count is of incidents,
    however many alerts and notes each has, and their ids are marked as ids."""
    from memo_coach.incidents import service

    with session_scope(sessions_of(installed)) as session:
        first = open_incident_on(session, "disk", "Disk filling")
        for note in ("looking", "cleanup ran", "still full"):
            service.add_note(session, first, "dana", note)
        service.acknowledge(session, first, "dana")
        second = open_incident_on(session, "llm", "Answers unusable")
        service.resolve(session, read_monitoring(session), second, "dana", "fixed")
    check = doctor(installed)["incidents"]
    assert check["summary"] == f"1 open incident: #{first.id} Disk filling (website, acknowledged)", check
    assert [i["ref"] for i in check["details"]["incidents"]] == [str(first.id)]


def read_monitoring(session):
    from memo_coach.config_store.versions import read_active
    from memo_coach.incidents.config import MonitoringConfig

    return read_active(session, MonitoringConfig)


@pytest.mark.parametrize(
    ("models", "status", "words"),
    [("status:401", FAIL, "refused"), ("status:529", WARN, "529"), ("good", OK, "reachable")],
)
def test_the_llm_key_and_reachability(installed, models, status, words):
    with FakeLLM() as fake:
        fake.models = models
        installed_llm(installed, fake.anthropic_base_url, "anthropic")
        installed.anthropic_api_key = SecretStr("sk-ant-test-key")
        check = doctor(installed)["llm"]
    assert check["status"] == status and words in check["summary"]


@pytest.mark.parametrize("answer", ["malformed", "garbled"])
def test_an_llm_whose_answers_are_unusable_fails(installed, answer):
    """The model list answers, so health says reachable; the doctor asks for one short answer and reads it."""
    with FakeLLM(default=answer) as fake:
        fake.models = "good"
        installed_llm(installed, fake.anthropic_base_url, "anthropic")
        installed.anthropic_api_key = SecretStr("sk-ant-test-key")
        check = doctor(installed)["llm"]
        asked = [r for r in fake.requests if r["path"] == "/v1/messages"]
    assert check["status"] == FAIL and "unusabl" in check["summary"], check
    assert "config/llm.yaml" in check["fix"] and check["runbook"].endswith("troubleshoot-llm.md")
    assert len(asked) == 1 and asked[0]["json"]["max_tokens"] <= 20  # one tiny completion, no retries


def test_a_usable_answer_is_ok_on_either_provider(installed):
    with FakeLLM() as fake:
        installed_llm(installed, fake.openai_base_url, "openai")
        check = doctor(installed)["llm"]
    assert check["status"] == OK and "a test answer parsed" in check["summary"], check


def test_an_llm_that_lists_models_but_never_answers_is_a_warning_within_its_bound(installed):
    with FakeLLM() as fake:
        fake.models = "good"
        fake.script("hang")  # the completion hangs; the model list (a GET) still answers
        installed_llm(installed, fake.openai_base_url, "openai")
        check = doctor(installed, budget=None)["llm"]
    assert check["status"] == WARN and "no answer within" in check["summary"], check


def test_a_hanging_llm_is_a_warning_within_the_budget(installed):
    """The doctor's reason to exist: it answers while the provider hangs."""
    with FakeLLM() as fake:
        fake.models = "hang"
        installed_llm(installed, fake.openai_base_url, "openai")
        report = doctor(installed, budget=None)
    check, whole = report["llm"], report["_report"]
    # The LLM check's own 0.5 s deadline, or on a loaded machine the doctor's 0.8 s budget, whichever fires first.
    assert check["status"] == WARN and "no answer within" in check["summary"], check
    assert (
        whole["seconds"] < 3
    )  # the 0.8 s budget of config/support.yaml, plus scheduling slack; the fake hangs forever
    assert whole["status"] == WARN, [c for c in whole["checks"] if c["status"] != "OK"]


def installed_llm(settings, base_url: str, provider: str) -> None:
    from memo_coach.config_store.versions import apply

    with session_scope(sessions_of(settings)) as session:
        apply(
            session,
            "llm",
            f"provider: {provider}\n{provider}:\n  model: fake-model\n  base_url: {base_url}\n",
            author="t",
            reason="t",
        )


def test_the_database_checks_pass_on_both_databases(tmp_path, database_url):
    settings = make_settings(tmp_path, database_url)
    initialise(settings)
    checks = doctor(settings, offline=True)
    for name in ("database", "integrity", "audit_chain", "pending_evaluations", "configuration"):
        assert checks[name]["status"] == OK, checks[name]
    assert checks["database"]["details"]["dialect"] == database_url.split(":")[0]


def test_operators_get_the_report_over_the_api(client, admin_headers, writer_headers):
    report = client.get("/api/v1/ops/doctor", headers=admin_headers).json()["data"]
    assert {c["name"] for c in report["checks"]} >= {"database", "llm", "audit_chain"}
    assert client.get("/api/v1/ops/doctor", headers=writer_headers).status_code == 403


def test_operators_may_give_the_doctor_a_budget_of_their_own(client, admin_headers):
    for url in ("/api/v1/ops/doctor?budget=20", "/ops/doctor?budget=20"):
        assert client.get(url, headers=admin_headers).status_code == 200
    refused = client.get("/api/v1/ops/doctor?budget=31", headers=admin_headers)
    assert refused.status_code == 422 and refused.json()["errors"]
    assert client.get("/ops/doctor?budget=0", headers=admin_headers).status_code == 422
    assert 'name="budget"' in client.get("/ops/doctor?budget=20", headers=admin_headers).text


def test_the_console_page_shows_each_check_with_its_runbook(client, admin_headers, writer_headers):
    page = client.get("/ops/doctor", headers=admin_headers).text
    assert '<table id="doctor">' in page and "audit chain" in page and "/ops/runbooks/troubleshoot-" in page
    assert client.get("/ops/doctor", headers=writer_headers).status_code == 403
