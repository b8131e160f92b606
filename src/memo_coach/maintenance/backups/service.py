"""Backups as the operator meets them: create, list, verify, restore, and the weekly restore drill.

A backup is a stored file plus its manifest. Verification restores it into scratch space and
checks it against the manifest; every verification, drill and restore is recorded as a BackupCheck.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from memo_coach import __version__
from memo_coach.audit import anchors
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.backups import manifest as manifests
from memo_coach.maintenance.backups import orphans, pg_copy, sqlite_copy, streams
from memo_coach.maintenance.backups.manifest import Manifest
from memo_coach.maintenance.backups.models import VERIFY, BackupCheck
from memo_coach.maintenance.config import BackupPolicy
from memo_coach.settings import Settings


@dataclass(frozen=True)
class BackupTarget:
    """Where backups of one database go, and how they are stored."""

    engine: Engine
    directory: Path
    secondary: Path | None
    passphrase: str | None
    policy: BackupPolicy

    @classmethod
    def of(cls, settings: Settings, engine: Engine, policy: BackupPolicy | None = None) -> BackupTarget:
        key = settings.backup_key.get_secret_value() if settings.backup_key else None
        return cls(engine, settings.backups_path, settings.backup_secondary_dir, key, policy or BackupPolicy())

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


@dataclass(frozen=True)
class Verification:
    backup_id: str
    ok: bool
    reason: str
    seconds: float
    details: dict

    def to_dict(self) -> dict:
        return {
            "backup_id": self.backup_id,
            "ok": self.ok,
            "reason": self.reason,
            "seconds": self.seconds,
            **self.details,
        }


class VerificationFailed(Exception):
    pass


@contextmanager
def scratch_dir(target: BackupTarget) -> Iterator[Path]:
    """Scratch space beside the backups (same disk, so no surprise from a small /tmp), private, named
    by its owner so that what a killed process leaves is recognised as an orphan (orphans.py)."""
    target.directory.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=orphans.SCRATCH_PREFIX, dir=target.directory))
    try:
        orphans.mark_owner(path)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def create_backup(target: BackupTarget, reason: str = "manual") -> Manifest:
    """Takes a consistent online backup and writes its manifest; copies both to the secondary directory."""
    started, now = time.monotonic(), utcnow()
    backup_id = manifests.new_id(now)
    orphans.remove_orphans(target.directory)  # what an earlier killed backup left
    audit_head = anchors.head_anchor(target.engine, f"backup {backup_id}")  # read first: the backup holds it
    with scratch_dir(target) as scratch:
        # Everything is written inside scratch and only the finished file moves into place, just
        # before its manifest: a kill at any step leaves nothing but an orphaned scratch directory.
        if target.dialect == "sqlite":
            raw = scratch / "snapshot.db"
            sqlite_copy.snapshot(sqlite_copy.database_path(target.engine), raw)
            counts, revision = sqlite_copy.row_counts(raw), sqlite_copy.schema_revision(raw)
            stored = scratch / _file_name(backup_id, ".sqlite", target)
            size, sha = _store(raw, stored, target)
        else:
            raw = scratch / "dump.pgdump"
            counts, revision = pg_copy.dump(pg_copy.libpq_url(target.engine), raw)
            stored = scratch / _file_name(backup_id, ".pgdump", target, compress=False)
            size, sha = streams.copy_plain(raw, stored, 0, target.passphrase)
        raw.unlink(missing_ok=True)  # the plaintext snapshot goes first
        stored = Path(shutil.move(stored, target.directory / stored.name))
    result = Manifest(
        id=backup_id,
        created_at=now.isoformat(),
        dialect=target.dialect,
        file=stored.name,
        size_bytes=size,
        sha256=sha,
        row_counts=counts,
        schema_revision=revision,
        app_version=__version__,
        encrypted=bool(target.passphrase),
        reason=reason,
        seconds=round(time.monotonic() - started, 3),
        audit_head=audit_head.to_dict(),
    )
    manifests.write(target.directory, result)
    _copy_to_secondary(target, result)
    anchors.write_anchor(anchors.anchor_files(target.directory, target.secondary), audit_head)
    return result


def _store(raw: Path, stored: Path, target: BackupTarget) -> tuple[int, str]:
    """Compressed and/or encrypted as configured; with neither, the snapshot itself is moved into place."""
    level = target.policy.compression_level
    if level:
        return streams.write_stored(raw, stored, level, target.passphrase)
    if target.passphrase:
        return streams.copy_plain(raw, stored, 0, target.passphrase)
    os.replace(raw, stored)
    return stored.stat().st_size, streams.file_sha256(stored)


def _file_name(backup_id: str, base: str, target: BackupTarget, compress: bool = True) -> str:
    """The name says how to read the file back: .zst when compressed, .enc when encrypted."""
    zst = ".zst" if compress and target.policy.compression_level else ""
    return f"{backup_id}{base}{zst}{'.enc' if target.passphrase else ''}"


def _copy_to_secondary(target: BackupTarget, result: Manifest) -> None:
    if target.secondary is None:
        return
    target.secondary.mkdir(parents=True, exist_ok=True)
    shutil.copy2(target.directory / result.file, target.secondary / result.file)
    manifests.write(target.secondary, result)


def list_backups(target: BackupTarget) -> list[Manifest]:
    return manifests.catalogue(target.directory)


def _check_file(target: BackupTarget, m: Manifest) -> Path:
    stored = target.directory / m.file
    if not stored.exists():
        raise VerificationFailed(f"the backup file {m.file} is missing")
    size = stored.stat().st_size
    if size != m.size_bytes:
        raise VerificationFailed(f"truncated or grown: the file has {size:,} bytes, the manifest says {m.size_bytes:,}")
    sha = streams.file_sha256(stored)
    if sha != m.sha256:
        raise VerificationFailed(
            f"checksum mismatch: the file's SHA-256 is {sha[:12]}…, the manifest says {m.sha256[:12]}…"
        )
    return stored


def _compare(m: Manifest, counts: dict[str, int], revision: str | None) -> None:
    if revision != m.schema_revision:
        raise VerificationFailed(f"schema revision {revision} differs from the manifest's {m.schema_revision}")
    wrong = {t: (counts.get(t), n) for t, n in m.row_counts.items() if counts.get(t) != n}
    if wrong:
        table, (got, expected) = next(iter(sorted(wrong.items())))
        raise VerificationFailed(
            f"row counts differ in {len(wrong)} table(s), e.g. {table}: {got} restored, {expected} in the manifest"
        )


@dataclass(frozen=True)
class RestoredCopy:
    url: str  # SQLAlchemy URL of the restored scratch database
    file: Path  # the unpacked SQLite file or pg_dump file


@contextmanager
def restored_copy(target: BackupTarget, m: Manifest) -> Iterator[RestoredCopy]:
    """Unpacks a backup into scratch and proves it whole against its manifest; raises VerificationFailed."""
    stored = _check_file(target, m)
    key = target.passphrase if m.encrypted else None
    try:
        with scratch_dir(target) as scratch:
            if m.dialect == "sqlite":
                yield _restored_sqlite(m, stored, scratch / "restored.db", key)
                return
            dump_file = scratch / "restored.pgdump"
            streams.read_plain(stored, dump_file, key)
            with pg_copy.scratch_database(pg_copy.libpq_url(target.engine)) as url:
                pg_copy.restore(dump_file, url)
                _compare(m, *pg_copy.counts_and_revision(url))
                yield RestoredCopy(url, dump_file)
    except (streams.StreamError, pg_copy.PgToolFailed) as exc:
        raise VerificationFailed(str(exc)) from None


def _restored_sqlite(m: Manifest, stored: Path, restored: Path, key: str | None) -> RestoredCopy:
    read = streams.read_stored if ".zst" in m.file else streams.read_plain
    read(stored, restored, key)
    problems = sqlite_copy.integrity_problems(restored)
    if problems:
        raise VerificationFailed("integrity check failed: " + "; ".join(problems[:3]))
    _compare(m, sqlite_copy.row_counts(restored), sqlite_copy.schema_revision(restored))
    return RestoredCopy(f"sqlite:///{restored}", restored)


def verify_backup(target: BackupTarget, sessions: sessionmaker[Session], backup_id: str) -> Verification:
    """Restores into scratch, checks integrity, row counts and checksum; records the result."""
    m = manifests.find(target.directory, backup_id)
    started = time.monotonic()
    try:
        with restored_copy(target, m):
            pass
        ok, reason = True, "restored into scratch; integrity, row counts and checksum match the manifest"
    except VerificationFailed as exc:
        ok, reason = False, str(exc)
    result = Verification(m.id, ok, reason, round(time.monotonic() - started, 3), {"dialect": m.dialect})
    record_check(sessions, result, VERIFY)
    return result


def record_check(sessions: sessionmaker[Session], result: Verification, kind: str) -> None:
    with session_scope(sessions) as session:
        session.add(
            BackupCheck(
                backup_id=result.backup_id,
                kind=kind,
                ok=result.ok,
                reason=result.reason[:1000],
                duration_seconds=result.seconds,
                details=result.details,
            )
        )


def delete_backup(target: BackupTarget, m: Manifest) -> None:
    for directory in filter(None, (target.directory, target.secondary)):
        (directory / m.file).unlink(missing_ok=True)
        (directory / f"{m.id}{manifests.SUFFIX}").unlink(missing_ok=True)
