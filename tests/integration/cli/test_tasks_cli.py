"""`memo-coach tasks` as an operator reads it: schedules in words, failed runs flagged, and a run that
cannot happen said in one line, never a traceback."""

from __future__ import annotations

import json
import re


def test_the_list_reads_schedules_in_words_with_a_header(run):
    assert run("init").returncode == 0
    listed = run("tasks", "list")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0].split()[:2] == ["task", "schedule"]
    row = {line.split()[0]: line for line in lines[1:]}
    assert "monthly, 1st at 06:30 UTC" in row["access_audit"]
    assert "daily at 02:15 UTC" in row["backup"]
    assert "weekly, Sunday at 04:30 UTC" in row["restore_drill"]
    assert "every 30 minutes" in row["wal_checkpoint"]
    assert "30 6 1 * *" not in listed.stdout
    as_json = {t["task"]: t for t in json.loads(run("tasks", "list", "--json").stdout)}
    assert as_json["access_audit"]["cron"] == "30 6 1 * *"  # the cron itself stays in the data


def test_a_failed_last_run_is_flagged(run, tmp_path):
    assert run("backup", "create").returncode == 0
    assert run("tasks", "run", "integrity_quick").returncode == 0
    stored = next(p for p in (tmp_path / "data" / "backups").glob("2*") if not p.name.endswith(".json"))
    stored.write_bytes(stored.read_bytes()[:64] + b"damaged")  # a real failure: a retained backup is bad
    failed = run("tasks", "run", "backup_integrity_all")
    assert failed.returncode == 1 and "backup_integrity_all failed" in failed.stdout
    assert "Traceback" not in failed.stderr
    rows = {line.split()[0]: line for line in run("tasks", "list").stdout.splitlines()[1:]}
    assert rows["backup_integrity_all"].endswith("LAST RUN FAILED"), rows["backup_integrity_all"]
    assert "LAST RUN" not in rows["integrity_quick"]


def test_a_run_that_cannot_happen_is_one_line_with_what_to_do(run, tmp_path):
    unknown = run("tasks", "run", "no_such_task")
    said = [line for line in unknown.stderr.splitlines() if line.startswith("error:")]
    assert unknown.returncode == 1 and len(said) == 1 and "Traceback" not in unknown.stderr
    assert "no task named 'no_such_task'" in said[0] and "tasks list" in said[0]
    assert run("init").returncode == 0
    database = tmp_path / "data" / "memo_coach.db"
    database.write_bytes(b"not a database at all" * 200)  # the database cannot be used
    broken = run("tasks", "run", "db_analyse")
    assert broken.returncode == 1 and "Traceback" not in broken.stderr + broken.stdout
    said = [line for line in broken.stderr.splitlines() if line.startswith("error:")]
    assert len(said) == 1 and re.search(r"cannot run db_analyse: .*doctor", said[0]), broken.stderr
