"""Runbooks are executed, not only read: each drill breaks a real installation the way its runbooks
describe, follows their commands, parsed from the runbooks themselves (so the docs and this test
cannot drift), and checks the service recovers.

A command is every `memo-coach ...` code span and every line of a fenced shell block, outside the
"Symptom" paragraph (how the trouble was noticed) and before the "When it is over" paragraph (ack, mitigate, review: tests/integration/cli/test_incidents_cli.py runs
them). Each runs in a shell in the installation's directory, as an operator would type it, with the
drill's values for the runbook's placeholders (NAME, ID, N). Whatever it finds, a command answers in
words: no traceback, exit 0, 1 or 2. Then the drill checks what the runbook promises: health ready,
the alert's condition gone.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import subprocess
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from memo_coach.auth.models import User
from memo_coach.coaching.models import PENDING, Evaluation, Memo
from memo_coach.db.base import utcnow
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from tests.drills import rows
from tests.drills.servers import BIN, Site
from tests.support.fake_llm import FakeLLM
from tests.support.helpers import REPO

RUNBOOKS = REPO / "docs" / "runbooks"
SPAN = re.compile(r"`((?:\.venv/bin/)?memo-coach [^`]+)`")
FENCE = re.compile(r"```(?:sh|bash)?\n(.*?)```", re.S)
SYMPTOM = re.compile(r"^\*\*Symptoms?\.\*\*.*?(?=\n\n)", re.S | re.M)
PLACEHOLDER = re.compile(r"\b(NAME|ID|N)\b")
MEMO = "We ask for two engineers by June to cut the backlog by 30%. Approve by Friday. " * 4

# Runbooks whose commands no drill follows, and why. Keep this short.
NOT_DRILLED = {
    "http_5xx_high": "needs minutes of failing traffic for the rule's window; its commands only read",
    "latency_p95_high": "needs ten minutes of slow traffic; `tasks run db_analyse` is drilled with the scheduler",
    "troubleshoot-slow-pages": "slowness needs load (bench/ measures it); its commands only read",
    "troubleshoot-audit-chain": "a broken chain is evidence: nothing repairs it, the runbook preserves it",
    "troubleshoot-database": "its branches need a stopped PostgreSQL server or a damaged file "
    "(tests/drills/test_restore_under_writes.py restores under writes)",
}
DRILLED = {
    "service_not_ready": "test_a_full_disk",
    "disk_above_95": "test_a_full_disk",
    "disk_above_85": "test_a_full_disk",
    "troubleshoot-disk-full": "test_a_full_disk",
    "config_file_refused": "test_a_refused_configuration_file",
    "troubleshoot-config-refused": "test_a_refused_configuration_file",
    "backup_verification_failed": "test_a_backup_that_fails_verification",
    "troubleshoot-backup": "test_a_backup_that_fails_verification",
    "task_overdue_or_failing": "test_an_overdue_task",
    "troubleshoot-scheduler": "test_an_overdue_task",
    "troubleshoot-file-modes": "test_files_others_can_read",
    "troubleshoot-stranded-evaluations": "test_stranded_evaluations",
    "troubleshoot-account-lockouts": "test_a_locked_account",
    "evaluations_degraded": "test_an_llm_whose_answers_are_unusable",
    "troubleshoot-llm": "test_an_llm_whose_answers_are_unusable",
}


def commands(runbook: str) -> list[str]:
    """The runbook's commands in the order they appear, each once."""
    text = (RUNBOOKS / f"{runbook}.md").read_text(encoding="utf-8").split("## When it is over")[0]
    text = SYMPTOM.sub("", text)  # how the trouble was noticed, not a step
    found = [(m.start(), line.strip()) for m in FENCE.finditer(text) for line in m.group(1).splitlines()]
    outside = FENCE.sub(lambda m: " " * len(m.group(0)), text)
    found += [(m.start(), m.group(1)) for m in SPAN.finditer(outside)]
    ordered = [c.removeprefix(".venv/bin/") for _, c in sorted(found) if c and not c.startswith("#")]
    return list(dict.fromkeys(ordered))


def follow(site: Site, runbook: str, values: dict[str, str] | None = None, skip: dict[str, str] | None = None):
    """Runs the runbook's commands as an operator would; returns (command, exit code, output) of each."""
    values, skip = values or {}, skip or {}
    env = {**site.env(), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    ran = []
    for command in commands(runbook):
        if any(command.startswith(prefix) for prefix in skip):
            continue
        typed = PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(1)), command)
        assert not PLACEHOLDER.search(typed), f"{runbook}: no value for a placeholder of `{command}`"
        done = subprocess.run(
            ["bash", "-c", typed], cwd=site.root, env=env, capture_output=True, text=True, timeout=300
        )
        output = done.stdout + done.stderr
        assert "Traceback" not in output, f"{runbook}: `{typed}` crashed:\n{output[-3000:]}"
        assert done.returncode in (0, 1, 2), f"{runbook}: `{typed}` exited {done.returncode}:\n{output[-2000:]}"
        ran.append((typed, done.returncode, output))
    assert ran, f"{runbook}: no command was followed"
    return ran


def output_of(ran, start: str) -> str:
    return next(out for command, _, out in ran if command.startswith(start))


def wait_for(condition, what: str, seconds: float = 60, every: float = 0.25):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not within {seconds} s: {what}")


def components(server, site: Site) -> dict[str, str]:
    headers = server.sign_in("admin", site.admin_password)
    with server.client() as c:
        report = c.get("/health/detailed", headers=headers).json()
    return {c["name"]: c["status"] for c in report["components"]}


def doctor(site: Site) -> dict[str, dict]:
    report = json.loads(site.cli("doctor", "--offline", "--json").stdout)
    return {c["name"]: c for c in report["checks"]}


def test_every_runbook_with_commands_is_drilled_or_says_why():
    with_commands = {p.stem for p in RUNBOOKS.glob("*.md") if commands(p.stem)}
    assert with_commands == set(DRILLED) | set(NOT_DRILLED)
    assert not set(DRILLED) & set(NOT_DRILLED)
    assert {t for t in DRILLED.values() if t not in globals()} == set()


# --- the disk fills up -----------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; this machine runs the tests as another user")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {mounted.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill_with_old_logs(logs: Path) -> int:
    """Rotated logs, a month and more old, until the disk refuses: the usual growth the runbook names."""
    logs.mkdir(exist_ok=True)
    old = time.time() - 40 * 86400
    written = 0
    for i in range(1, 10_000):
        path = logs / f"app.log.{i}"
        try:
            with open(path, "wb", buffering=0) as f:  # unbuffered: closing it has nothing left to write
                for _ in range(16):
                    written += f.write(b"{}\n" * 16384)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
            os.utime(path, (old, old))
            return written
        os.utime(path, (old, old))
    raise AssertionError("the disk never filled")


def test_a_full_disk(small_disk):
    site = Site(small_disk).init()
    try:
        server = site.serve()
        fill_with_old_logs(site.data_dir / "logs")
        with server.client() as c:
            wait_for(lambda: c.get("/health/ready").status_code == 503, "the full disk makes the replica not ready")
        ran = []
        for runbook in ("service_not_ready", "disk_above_95", "disk_above_85", "troubleshoot-disk-full"):
            ran += follow(
                site,
                runbook,
                {"NAME": "rubric", "N": "1"},
                skip={"memo-coach config rollback": "the cause here is the disk, not a configuration change"},
            )
        assert "cleanup succeeded" in output_of(ran, "memo-coach tasks run cleanup")
        with server.client() as c:
            wait_for(lambda: c.get("/health/ready").status_code == 200, "ready again once cleanup made room")
        usage = os.statvfs(small_disk)
        assert usage.f_bavail / usage.f_blocks > 0.15  # below disk_above_85's threshold, with room to spare
        history = site.cli("tasks", "history", "--task", "cleanup").stdout
        assert "succeeded" in history  # recorded once it had made room
        assert rows.integrity(site.database) == "ok"
    finally:
        site.stop_all()


# --- a configuration file refused -------------------------------------------------------------------
def test_a_refused_configuration_file(site):
    site.init()
    server = site.serve()
    rubric = site.config_dir / "rubric.yaml"
    rubric.write_text(rubric.read_text() + "\nnot_a_field: [unclosed\n")
    wait_for(lambda: components(server, site).get("config_files") == "unhealthy", "the edit is refused")
    ran = follow(site, "troubleshoot-config-refused", {"NAME": "rubric"})
    assert "invalid" in output_of(ran, "memo-coach config validate")  # it listed the problems first
    ran = follow(site, "config_file_refused", {"NAME": "rubric"})
    wait_for(lambda: components(server, site).get("config_files") == "healthy", "the file serves again")
    assert site.cli("config", "validate", "rubric", "config/rubric.yaml").returncode == 0


# --- a backup fails its verification ----------------------------------------------------------------
def test_a_backup_that_fails_verification(site):
    site.init()
    server = site.serve()
    made = site.cli("backup", "create")
    assert made.returncode == 0, made.stderr
    newer = json.loads(max((site.data_dir / "backups").glob("*.manifest.json")).read_text())
    stored = site.data_dir / "backups" / newer["file"]
    stored.write_bytes(stored.read_bytes()[:100] + b"damaged" * 100)
    assert site.cli("backup", "verify", newer["id"]).returncode == 1
    wait_for(lambda: components(server, site).get("backups") == "unhealthy", "the failed verification shows")
    listed = site.cli("backup", "list").stdout
    assert re.search(rf"{newer['id']}.*FAILED \d{{4}}-\d\d-\d\d \d\d:\d\d", listed), listed

    ran = follow(site, "backup_verification_failed")
    ran += follow(site, "troubleshoot-backup")
    assert "FAILED" in output_of(ran, "memo-coach backup list")
    wait_for(lambda: components(server, site).get("backups") == "healthy", "a new backup verified")


# --- a task overdue ---------------------------------------------------------------------------------
def test_an_overdue_task(site):
    site.init()
    server = site.serve()
    assert site.cli("tasks", "run", "session_purge").returncode == 0
    with closing(sqlite3.connect(site.database)) as db, db:  # the scheduler stopped three days ago
        three_days = (datetime.now(UTC) - timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S.%f")
        db.execute("UPDATE task_leases SET last_success_at = ? WHERE name = 'session_purge'", (three_days,))
    wait_for(lambda: components(server, site).get("scheduler") == "degraded", "the task is overdue")
    assert "OVERDUE" in site.cli("tasks", "list").stdout
    skip = {"memo-coach worker": "a long-running process; the drill runs the task by hand instead"}
    ran = follow(site, "task_overdue_or_failing", {"NAME": "session_purge"}, skip)
    ran += follow(site, "troubleshoot-scheduler", {"NAME": "session_purge"}, skip)
    assert "session_purge succeeded" in output_of(ran, "memo-coach tasks run session_purge")
    wait_for(lambda: components(server, site).get("scheduler") == "healthy", "the task is on time again")


# --- files others can read --------------------------------------------------------------------------
def test_files_others_can_read(site):
    site.init()
    (site.data_dir / "secret_key").chmod(0o644)
    site.data_dir.chmod(0o755)
    assert doctor(site)["file_modes"]["status"] == "FAIL"
    follow(site, "troubleshoot-file-modes")
    assert doctor(site)["file_modes"]["status"] == "OK"


# --- evaluations stranded ---------------------------------------------------------------------------
def test_stranded_evaluations(site):
    """The process died after storing a submission and before its result: the runbook says restart."""
    site.init()
    engine = make_engine(f"sqlite:///{site.database}")
    with session_scope(make_session_factory(engine)) as session:
        alice = session.scalar(select(User.id).where(User.username == "alice"))
        memo = Memo(user_id=alice, title="t")
        session.add(memo)
        session.flush()
        when = utcnow() - timedelta(minutes=20)
        session.add(Evaluation(memo_id=memo.id, user_id=alice, text_content=MEMO, status=PENDING, created_at=when))
    engine.dispose()
    assert doctor(site)["pending_evaluations"]["status"] == "FAIL"
    site.serve()  # "Restart the app": at start it finishes every evaluation left pending
    wait_for(lambda: all(e["status"] == "completed" for e in rows.evaluations(site.database)), "finished")
    follow(site, "troubleshoot-stranded-evaluations")
    assert doctor(site)["pending_evaluations"]["status"] == "OK"


# --- an account locked ------------------------------------------------------------------------------
def test_a_locked_account(site):
    site.init()
    auth = site.config_dir / "auth.yaml"
    auth.write_text(auth.read_text().replace("lockout_minutes: 15", "lockout_minutes: 0.1"))
    server = site.serve()
    headers = server.sign_in("alice")
    with server.client() as c:
        ticket = c.post(
            "/api/v1/support/tickets",
            headers=headers,
            json={"category": "account", "summary": "I forgot my password", "description": "Locked out now."},
        )
        assert ticket.status_code == 201, ticket.text
        wrong = {"username": "alice", "password": "not-her-password-at-all"}
        answers = [c.post("/api/v1/auth/login", json=wrong).status_code for _ in range(8)]
    assert answers[-1] == 429, answers
    ran = follow(site, "troubleshoot-account-lockouts", {"NAME": "alice", "ID": str(ticket.json()["data"]["id"])})
    password = re.search(r"new password for alice: (\S+)", output_of(ran, "memo-coach users reset-password")).group(1)
    with server.client() as c:
        login = {"username": "alice", "password": password}
        # Locks of the same pair double, and the per-address limit holds for its window: allow minutes.
        wait_for(lambda: c.post("/api/v1/auth/login", json=login).status_code == 200, "the lock ended", 180, 1)


# --- the model's answers are unusable ---------------------------------------------------------------
def test_an_llm_whose_answers_are_unusable(site):
    """A change of model sends evaluations to a model whose answers nobody can read: the doctor says
    so, and the runbook's rollback puts back the configuration that worked."""
    with FakeLLM() as provider:
        provider.models = "good"
        provider.by_model = {"fake-chatty-model": "malformed"}  # answers in prose, never JSON
        site.init(provider.openai_base_url, unthrottled=True)
        server = site.serve()
        chatty = (site.config_dir / "llm.yaml").read_text().replace("model: fake-model", "model: fake-chatty-model")
        (site.root / "llm-new.yaml").write_text(chatty)
        changed = site.cli("config", "set", "llm", str(site.root / "llm-new.yaml"), "--reason", "a newer model")
        assert changed.returncode == 0, changed.stderr
        headers = server.sign_in("alice")

        def degraded() -> bool:
            with server.client() as c:
                answer = c.post("/api/v1/evaluations/submit", headers=headers, json={"text_content": MEMO})
            return answer.json()["data"]["degraded"]

        wait_for(degraded, "the new model's answers are unusable", every=2)
        with server.client() as c:
            incident = c.post(
                "/api/v1/incidents",
                headers=server.sign_in("admin", site.admin_password),
                json={"title": "Evaluations degraded", "severity": "P2", "component": "evaluations"},
            )
        assert json.loads(site.cli("doctor", "--json").stdout)["status"] == "FAIL"
        follow(site, "evaluations_degraded", {"ID": str(incident.json()["data"]["id"])})
        ran = follow(site, "troubleshoot-llm", {"NAME": "llm", "N": "1"})
        assert "unusabl" in output_of(ran, "memo-coach doctor")
        checks = {c["name"]: c for c in json.loads(site.cli("doctor", "--json").stdout)["checks"]}
        assert checks["llm"]["status"] == "OK", checks["llm"]
        wait_for(lambda: not degraded(), "evaluations answered by the model again", every=2)
