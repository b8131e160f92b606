"""Backups are only backups once restored: consistency under writes, damage detection, restore."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from contextlib import closing

import pytest
import zstandard
from pydantic import SecretStr
from sqlalchemy import select

from memo_coach.auth.models import LoginAttempt, User
from memo_coach.auth.users import create_user
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.errors import InvalidInput
from memo_coach.maintenance.backups import manifest as manifests
from memo_coach.maintenance.backups.health import backup_health
from memo_coach.maintenance.backups.models import BackupCheck
from memo_coach.maintenance.backups.restore import restore_backup, restore_drill
from memo_coach.maintenance.backups.service import (
    BackupTarget,
    create_backup,
    list_backups,
    restored_copy,
    verify_backup,
)
from memo_coach.maintenance.config import BackupPolicy
from memo_coach.maintenance.mode.service import maintenance_state


def _writer(path, stop: threading.Event, committed: list[int]) -> None:
    """Commits one row at a time, remembering the id of each committed row."""
    with closing(sqlite3.connect(path, timeout=30)) as conn:
        while not stop.is_set():
            cur = conn.execute(
                "INSERT INTO login_attempts (username, client_address, succeeded, at) VALUES ('w', 'a', 1, ?)",
                (utcnow().isoformat(sep=" "),),
            )
            conn.commit()
            committed.append(cur.lastrowid)


def test_a_backup_taken_while_a_thread_writes_verifies_and_holds_every_earlier_row(target, sessions, engine):
    stop, committed = threading.Event(), []
    writer = threading.Thread(target=_writer, args=(engine.url.database, stop, committed))
    writer.start()
    try:
        while len(committed) < 200:
            time.sleep(0.01)
        before = max(committed)  # every row up to this id was committed before the backup started
        made = create_backup(target)
        during = len(committed)
    finally:
        stop.set()
        writer.join()
    assert during > 200, "the writer kept committing while the backup ran"
    assert verify_backup(target, sessions, made.id).ok
    with restored_copy(target, made) as copy, closing(sqlite3.connect(copy.file)) as conn:
        ids = {r[0] for r in conn.execute("SELECT id FROM login_attempts")}
    assert set(range(1, before + 1)) <= ids
    assert made.row_counts["login_attempts"] == len(ids)


def _stored(target, made):
    return target.directory / made.file


def test_a_truncated_backup_fails_verification_saying_so(target, sessions):
    made = create_backup(target)
    path = _stored(target, made)
    path.write_bytes(path.read_bytes()[: made.size_bytes // 2])
    result = verify_backup(target, sessions, made.id)
    assert not result.ok
    assert "truncated" in result.reason


def test_a_backup_with_a_wrong_checksum_fails_verification_saying_so(target, sessions):
    made = create_backup(target)
    data = bytearray(_stored(target, made).read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped bit-pattern, same size
    _stored(target, made).write_bytes(bytes(data))
    result = verify_backup(target, sessions, made.id)
    assert not result.ok
    assert result.reason.startswith("checksum mismatch")


def test_a_backup_of_a_corrupted_database_fails_the_integrity_check(target, sessions, tmp_path):
    """The file matches its manifest, but the database inside is damaged: only a restore finds that."""
    made = create_backup(target)
    raw = tmp_path / "inside.db"
    raw.write_bytes(zstandard.ZstdDecompressor().decompressobj().decompress(_stored(target, made).read_bytes()))
    data = bytearray(raw.read_bytes())
    page = 4096
    data[page * 3 : page * 3 + 200] = b"\x07" * 200  # scribble over an index/table page
    raw.write_bytes(bytes(data))
    stored = _stored(target, made)
    stored.write_bytes(zstandard.ZstdCompressor(level=1).compress(bytes(data)))
    m = manifests.find(target.directory, made.id)
    m.size_bytes = stored.stat().st_size
    m.sha256 = hashlib.sha256(stored.read_bytes()).hexdigest()
    manifests.write(target.directory, m)
    result = verify_backup(target, sessions, made.id)
    print(result.reason)
    assert not result.ok
    assert result.reason.startswith("integrity check failed")


def test_a_failed_verification_turns_backup_health_unhealthy(target, sessions):
    made = create_backup(target)
    with session_scope(sessions) as session:
        assert backup_health(session).status == "degraded"  # nothing verified yet
    verify_backup(target, sessions, made.id)
    with session_scope(sessions) as session:
        assert backup_health(session).status == "healthy"
    _stored(target, made).write_bytes(b"junk")
    verify_backup(target, sessions, made.id)
    with session_scope(sessions) as session:
        health = backup_health(session)
    assert health.status == "unhealthy"
    assert made.id in health.reason


def test_restore_is_refused_without_confirmation(target, sessions):
    made = create_backup(target)
    with pytest.raises(InvalidInput) as refused:
        restore_backup(target, sessions, made.id, confirmed=False, actor="test")
    assert refused.value.code == "confirmation_required"
    assert len(list_backups(target)) == 1, "a refused restore takes no safety backup either"


def test_restore_round_trip_puts_the_database_back_and_keeps_a_safety_backup(target, sessions):
    made = create_backup(target)
    with session_scope(sessions) as session:
        create_user(session, "after-backup", "writer", "a-password-long-enough", actor="test")
    result = restore_backup(target, sessions, made.id, confirmed=True, actor="test")
    assert result["ok"], result["reason"]
    with session_scope(sessions) as session:
        names = set(session.scalars(select(User.username)))
        assert "after-backup" not in names
        assert not maintenance_state(session).active, "maintenance ends with the restore"
        assert session.scalar(select(BackupCheck.kind).order_by(BackupCheck.id.desc())) == "restore"
    safety = next(m for m in list_backups(target) if m.id == result["safety_backup_id"])
    assert safety.reason == "pre-restore"
    assert safety.row_counts["users"] == made.row_counts["users"] + 1


def test_an_encrypted_backup_round_trips_and_refuses_the_wrong_key(ops_settings, engine, sessions):
    ops_settings.backup_key = SecretStr("correct horse battery staple")
    target = BackupTarget.of(ops_settings, engine)
    made = create_backup(target)
    assert made.encrypted and made.file.endswith(".zst.enc")
    assert verify_backup(target, sessions, made.id).ok
    ops_settings.backup_key = SecretStr("another key")
    wrong = verify_backup(BackupTarget.of(ops_settings, engine), sessions, made.id)
    assert not wrong.ok and "wrong key" in wrong.reason


def test_the_restore_drill_reads_the_latest_evaluation_and_records_the_recovery_time(target, sessions):
    create_backup(target)
    drill = restore_drill(target, sessions)
    assert drill.ok, drill.reason
    assert drill.details["recovery_seconds"] >= 0
    assert "latest_evaluation_id" in drill.details and drill.details["users"] == 1


def test_a_secondary_directory_gets_a_copy_of_every_backup(ops_settings, engine, tmp_path):
    ops_settings.backup_secondary_dir = tmp_path / "mounted-share"
    made = create_backup(BackupTarget.of(ops_settings, engine))
    assert (tmp_path / "mounted-share" / made.file).read_bytes() == (ops_settings.backups_path / made.file).read_bytes()
    assert manifests.find(tmp_path / "mounted-share", made.id).sha256 == made.sha256


def test_row_counts_in_the_manifest_match_the_database(target, sessions):
    with session_scope(sessions) as session:
        session.add(LoginAttempt(username="x", client_address="a", succeeded=False))
    made = create_backup(target)
    assert made.row_counts["login_attempts"] == 1
    assert made.schema_revision is not None


def test_an_uncompressed_backup_is_the_snapshot_itself_and_verifies(ops_settings, engine, sessions):
    target = BackupTarget.of(ops_settings, engine, BackupPolicy(compression_level=0))
    made = create_backup(target)
    assert made.file.endswith(".sqlite")
    assert verify_backup(target, sessions, made.id).ok
