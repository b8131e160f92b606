"""`memo-coach backup` as an operator meets it: corrupt manifests listed with their reason, orphans
listed and cleaned, manual backups counted by the backup task's dead man's switch."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path


def _backups(tmp_path) -> Path:
    return tmp_path / "data" / "backups"


def test_a_corrupt_manifest_is_listed_as_corrupt_and_verify_says_why(run, tmp_path):
    assert run("backup", "create").returncode == 0
    manifest = next(_backups(tmp_path).glob("*.manifest.json"))
    backup_id = manifest.name.removesuffix(".manifest.json")
    manifest.write_text('{"id": "x", "created_at": ')
    listed = run("backup", "list")
    assert listed.returncode == 1  # used to exit 0 with the backup silently missing
    assert f"CORRUPT  {backup_id}: the manifest of backup {backup_id} is not valid JSON" in listed.stdout
    verified = run("backup", "verify", backup_id)
    assert verified.returncode == 1 and "Traceback" not in verified.stderr
    assert "is not valid JSON" in verified.stderr


def test_what_a_killed_backup_leaves_is_listed_and_cleaned(run, tmp_path):
    assert run("init").returncode == 0
    scratch = _backups(tmp_path) / ".scratch-killed"
    scratch.mkdir(parents=True)
    (scratch / "owner").write_text(f"{os.uname().nodename} 999999999")  # a pid no process has
    (scratch / "snapshot.db").write_bytes(b"SQLite format 3\0" + b"memo text in plain" * 100)
    listed = run("backup", "list")
    assert listed.returncode == 0 and "ORPHAN   .scratch-killed" in listed.stdout
    cleaned = run("backup", "cleanup")
    assert cleaned.returncode == 0 and "1 orphans removed" in cleaned.stdout
    assert not scratch.exists()


def test_a_manual_backup_counts_for_the_backup_tasks_dead_mans_switch(run):
    assert run("backup", "create").returncode == 0
    tasks = json.loads(run("tasks", "list", "--json").stdout)
    backup = next(t for t in tasks if t["task"] == "backup")
    assert backup["last_success_at"] is not None and not backup.get("overdue")


def test_verify_without_an_id_checks_the_newest_backup(run, tmp_path):
    assert run("init").returncode == 0
    for first in _backups(tmp_path).glob("2*"):  # init's first backup: gone, so there is none to verify
        first.unlink()
    none = run("backup", "verify")
    assert none.returncode == 1 and "no backup to verify" in none.stderr and "Traceback" not in none.stderr
    assert run("backup", "create").returncode == 0
    assert run("backup", "create").returncode == 0
    newest = max(_backups(tmp_path).glob("*.manifest.json"), key=lambda p: json.loads(p.read_text())["created_at"])
    verified = run("backup", "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith(f"{newest.name.removesuffix('.manifest.json')}: OK")


def test_the_list_shows_each_backups_verification(run, tmp_path):
    assert run("backup", "create").returncode == 0
    listed = run("backup", "list")
    assert listed.returncode == 0 and "verification" in listed.stdout.splitlines()[0]
    backup_id = next(_backups(tmp_path).glob("*.manifest.json")).name.removesuffix(".manifest.json")
    assert re.search(rf"^{backup_id} .* verified \d{{4}}-\d\d-\d\d \d\d:\d\d$", listed.stdout, re.M), listed.stdout
    stored = next(p for p in _backups(tmp_path).glob(f"{backup_id}*") if not p.name.endswith(".json"))
    stored.write_bytes(stored.read_bytes()[:64] + b"damaged")
    assert run("backup", "verify", backup_id).returncode == 1
    listed = run("backup", "list").stdout
    assert re.search(rf"^{backup_id} .* FAILED \d{{4}}-\d\d-\d\d \d\d:\d\d: \S", listed, re.M), listed
