"""The data directory's disk fills up under a running server (a small tmpfs): writers get a clear
507 `storage_full`, never a 500; readiness turns 503 only while writes really fail; nothing that was
acknowledged is lost, and everything works again once there is room."""

from __future__ import annotations

import errno
import os
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
    with open(path, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
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
