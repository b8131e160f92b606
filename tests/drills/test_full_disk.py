"""The data directory's disk fills up under a running server (a small tmpfs): writers get a clear
507 `storage_full`, never a 500; readiness turns 503 only while writes really fail; nothing that was
acknowledged is lost, and everything works again once there is room."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import uuid

import pytest

from tests.drills import rows
from tests.drills.servers import Site

MEMO = "We ask for two engineers by June to cut the backlog by 30%. Approve by Friday. " * 60


@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; this machine runs the tests as another user")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {mounted.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(path) -> None:
    """Writes until the disk refuses."""
    with open(path, "wb", buffering=0) as f:  # unbuffered: closing it has nothing left to write
        try:
            while True:
                f.write(b"\0" * 65536)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def test_a_full_disk_is_a_clear_507_and_nothing_acknowledged_is_lost(small_disk):
    site = Site(small_disk).init()
    try:
        server = site.serve()
        headers = server.sign_in("alice")
        acknowledged, statuses = [], []
        with server.client() as c:
            _fill(small_disk / "filler")
            try:
                for _ in range(40):
                    text = f"{uuid.uuid4().hex} {MEMO}"
                    answer = c.post("/api/v1/evaluations/submit", headers=headers, json={"text_content": text})
                    statuses.append(answer.status_code)
                    if answer.status_code == 201:
                        acknowledged.append(text)
                    elif answer.status_code == 507:
                        error = answer.json()["errors"][0]
                        assert error["code"] == "storage_full" and answer.headers["Retry-After"]
                        break
                ready_while_full = c.get("/health/ready")
                login = c.post("/api/v1/auth/login", json={"username": "bob", "password": "drill-writer-password-long"})
            finally:
                (small_disk / "filler").unlink()
            assert statuses[-1] == 507 and set(statuses) <= {201, 507}, statuses
            assert ready_while_full.status_code == 503, ready_while_full.text
            assert login.status_code in (200, 507), login.text  # a clear answer either way, never a 500
            assert c.get("/health/ready").status_code == 200
            again = c.post("/api/v1/evaluations/submit", headers=headers, json={"text_content": MEMO})
            assert again.status_code == 201, again.text
        stored = {r["text_content"] for r in rows.evaluations(site.database)}
        assert set(acknowledged) <= stored and rows.integrity(site.database) == "ok"
    finally:
        site.stop_all()


def test_the_tasks_a_full_disk_runbook_names_run_on_a_full_disk_and_are_recorded_once_there_is_room(small_disk):
    """`tasks run cleanup` crashed with a 224-line traceback where the runbook sends the operator: it
    could not write its run record before deleting anything. Now the tasks that make room run first."""
    site = Site(small_disk).init()
    try:
        site.serve()  # a running service, as on the day: its database stays open
        _fill(small_disk / "filler")
        try:
            for task in ("cleanup", "wal_checkpoint"):
                ran = site.cli("tasks", "run", task)
                said = ran.stdout + ran.stderr
                assert ran.returncode == 0 and "Traceback" not in said, said
                assert f"{task} succeeded" in ran.stdout and "not recorded: the disk is still full" in ran.stderr
            other = site.cli("tasks", "run", "db_analyse")
            errors = [line for line in other.stderr.splitlines() if line.startswith("error:")]
            assert other.returncode == 1 and "Traceback" not in other.stderr + other.stdout
            assert len(errors) == 1 and "is full" in errors[0] and "tasks run cleanup" in errors[0], other.stderr
        finally:
            (small_disk / "filler").unlink()
        ran = site.cli("tasks", "run", "cleanup")
        assert ran.returncode == 0 and re.match(r"run \d+: cleanup succeeded", ran.stdout), ran.stdout + ran.stderr
        history = site.cli("tasks", "history", "--task", "cleanup").stdout
        assert "succeeded" in history and "running" not in history  # no half record of the full-disk runs
        assert rows.integrity(site.database) == "ok"
    finally:
        site.stop_all()
