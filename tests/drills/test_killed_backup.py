"""A backup killed with SIGKILL half-way: it leaves a plaintext copy in scratch (nothing can stop
SIGKILL), which is listed as an orphan and gone after the next backup, and nothing else."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from contextlib import closing

from tests.drills.servers import MEMO_COACH

KEY = "drill backup passphrase, not a real one"


def _fill(database, megabytes: int) -> None:
    """Enough rows that a backup takes a moment (the app's own tables, as a writer would fill them)."""
    text = "We ask for two engineers by June to cut the backlog by 30 percent. " * 30
    with closing(sqlite3.connect(database)) as conn:
        conn.execute("INSERT INTO memos (user_id, title, created_at) VALUES (2, 'filler', '2026-12-01 00:00:00')")
        memo_id = conn.execute("SELECT max(id) FROM memos").fetchone()[0]
        rows = [(memo_id, f"{text} #{i}") for i in range(megabytes * 1024 * 1024 // len(text))]
        conn.executemany(
            "INSERT INTO evaluations (memo_id, user_id, revision, text_content, status, attempts, degraded,"
            " dropped_quotes, created_at) VALUES (?, 2, 1, ?, 'completed', 1, 0, 0, '2026-12-01 00:00:00')",
            rows,
        )
        conn.commit()


def _plaintext_databases(directory) -> list[str]:
    return [p.name for p in directory.rglob("*") if p.is_file() and p.read_bytes()[:15] == b"SQLite format 3"]


def test_a_killed_backup_leaves_nothing_after_the_next_one(site):
    site.extra_env["MEMO_COACH_BACKUP_KEY"] = KEY
    site.init()
    _fill(site.database, 40)
    backups = site.data_dir / "backups"
    proc = subprocess.Popen([MEMO_COACH, "backup", "create"], env=site.env(), stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size > 1_000_000 for p in backups.glob(".scratch-*/*")):
        assert proc.poll() is None and time.monotonic() < deadline, "the backup ended before it could be killed"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(backups.glob(".scratch-*")), "the kill left its scratch behind (the hazard this drill is about)"

    listed = site.cli("backup", "list")
    assert "ORPHAN   .scratch-" in listed.stdout
    again = site.cli("backup", "create")
    assert again.returncode == 0, again.stderr

    assert not list(backups.glob(".scratch-*")) and not list(backups.glob("*.tmp"))
    assert _plaintext_databases(backups) == [], "no plaintext copy of the database may remain"
    manifests = list(backups.glob("*.manifest.json"))
    ids = {p.name.removesuffix(".manifest.json") for p in manifests}
    kept = [p for p in backups.iterdir() if p.name != "audit"]  # audit/: the audit chain's anchors
    assert len(ids) == 1 and all(p.name.split(".", 1)[0] in ids for p in kept)
    assert "ORPHAN" not in site.cli("backup", "list").stdout
