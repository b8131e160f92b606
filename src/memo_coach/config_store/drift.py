"""Noticing edits to config/*.yaml on this replica's disk while the app runs.

The database is the truth. Each check costs one query and one stat per file; a file is read only
when its mtime or size moved. Then:
- disk equals the active version: nothing to do;
- disk still holds what disk and database last agreed on (or, at start, an older version): the
  disk is stale, so the active version is written back;
- anything else is an edit: valid, it becomes a new version by author "file" (under the two-person
  rule a proposal, and the file is left alone while it waits or after it is rejected); invalid, it is refused once (logged and audited), the last good version keeps
  serving, and `config_health` turns unhealthy naming the file and the error until the file is fixed.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from memo_coach import audit
from memo_coach.component_status import HEALTHY, UNHEALTHY, ComponentStatus
from memo_coach.config_store import changes, disk, versions
from memo_coach.config_store.kinds import SCHEMAS
from memo_coach.config_store.loader import ConfigError, ConfigProblem
from memo_coach.config_store.models import PENDING, ConfigProposal, ConfigVersion
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.errors import AppError, Conflict
from memo_coach.periodic import PeriodicLoop
from memo_coach.settings import Settings

log = logging.getLogger(__name__)
FILE_AUTHOR = "file"
# Settings' default, for a watcher built without settings; the runtime passes the configured interval.
WATCH_SECONDS: float = Settings.model_fields["config_watch_seconds"].default


@dataclass(frozen=True)
class Refusal:
    file: str
    checksum: str
    problems: list[ConfigProblem]
    at: datetime

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "at": self.at.isoformat(),
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass
class FileState:
    stat: tuple[int, int] | None = None  # (mtime_ns, size) when last read
    disk_checksum: str | None = None
    synced_checksum: str | None = None  # what disk and database last agreed on
    proposed_checksum: str | None = None  # an edit on disk waiting for approval (or rejected): left alone
    refusal: Refusal | None = None


class DriftWatcher:
    """One per process; `check()` is one pass, `start()` runs it every `interval_seconds` in a thread."""

    def __init__(
        self, sessions: sessionmaker[Session], config_dir: Path, interval_seconds: float = WATCH_SECONDS
    ) -> None:
        self.sessions = sessions
        self.config_dir = config_dir
        self.states = {name: FileState() for name in SCHEMAS}
        self.last_check_at: datetime | None = None
        self.last_error: str | None = None
        self._lock = threading.Lock()  # the thread and a test (or CLI) calling check() never interleave
        self._loop = PeriodicLoop("config-drift", interval_seconds, self._check_and_log, run_first=True)

    def check(self) -> list[str]:
        """One pass over every file; returns what it did, in words, for logs and tests."""
        with self._lock:
            done: list[str] = []
            try:
                with session_scope(self.sessions) as session:
                    actives = versions.active_versions(session)
                for name, state in self.states.items():
                    if name in actives:
                        done += self._check_file(name, state, actives[name])
                self.last_error = None
            except Exception as exc:  # a database outage must not kill the watcher thread
                log.exception("configuration drift check failed")
                self.last_error = f"{type(exc).__name__}: {exc}"
            self.last_check_at = utcnow()
            return done

    def _check_file(self, name: str, state: FileState, active: ConfigVersion) -> list[str]:
        path = disk.config_path(self.config_dir, name)
        text = self._read_if_moved(path, state)
        if state.disk_checksum == active.checksum:
            state.synced_checksum, state.refusal = active.checksum, None
            return []
        if state.disk_checksum == state.proposed_checksum:
            return []
        if state.disk_checksum is None or self._is_stale(name, state):
            if not disk.write_config(self.config_dir, name, active.content):
                return [f"{name}: could not write active version {active.number} back to {path}"]
            self._read_if_moved(path, state)
            state.synced_checksum, state.refusal = active.checksum, None
            return [f"{name}: wrote active version {active.number} back to {path}"]
        if state.refusal and state.refusal.checksum == state.disk_checksum:
            return []
        if text is None:
            text = path.read_text(encoding="utf-8")
        return [self._import(name, state, text, path)]

    @staticmethod
    def _read_if_moved(path: Path, state: FileState) -> str | None:
        """The file's text when it changed since the last look (None when unchanged); cheap when not."""
        try:
            st = path.stat()
        except FileNotFoundError:
            state.stat, state.disk_checksum = None, None
            return None
        if (st.st_mtime_ns, st.st_size) == state.stat:
            return None
        text = path.read_text(encoding="utf-8", errors="replace")
        state.stat, state.disk_checksum = (st.st_mtime_ns, st.st_size), versions.checksum(text)
        return text

    def _is_stale(self, name: str, state: FileState) -> bool:
        """Disk unchanged since it last agreed with the database, or (first look) an older version."""
        if state.synced_checksum is not None:
            return state.disk_checksum == state.synced_checksum
        with session_scope(self.sessions) as session:
            old = select(ConfigVersion.id).where(
                ConfigVersion.name == name, ConfigVersion.checksum == state.disk_checksum
            )
            return session.scalar(old.limit(1)) is not None

    def _import(self, name: str, state: FileState, text: str, path: Path) -> str:
        try:
            with session_scope(self.sessions) as session:
                if _pending_proposal(session, name, state.disk_checksum):
                    state.proposed_checksum = state.disk_checksum
                    return f"{name}: edit on disk already waits for approval"
                versions.validate_change(session, name, text, str(path))  # problems name the real file
                outcome = changes.request_change(
                    session, name, text, author=FILE_AUTHOR, reason=f"edited on disk: {path}"
                )
        except ConfigError as exc:
            return self._refuse(name, state, path, exc.problems)
        except Conflict:
            return f"{name}: changed by someone else at the same moment; looking again next pass"
        except AppError as exc:
            if exc.code == "unchanged":  # another worker on this disk imported the same edit first
                state.synced_checksum, state.refusal = state.disk_checksum, None
                return f"{name}: edit on disk is already the active version"
            return self._refuse(name, state, path, [ConfigProblem(str(path), None, None, exc.field or "", exc.message)])
        state.refusal = None
        if outcome.proposal is not None:
            state.proposed_checksum = state.disk_checksum
            return f"{name}: edit on disk proposed as proposal {outcome.proposal.id}"
        state.synced_checksum = state.disk_checksum
        return f"{name}: edit on disk applied as version {outcome.version.number}"

    def _refuse(self, name: str, state: FileState, path: Path, problems: list[ConfigProblem]) -> str:
        state.refusal = Refusal(str(path), state.disk_checksum or "", problems, utcnow())
        log.warning("refused configuration edit on disk: %s", "; ".join(str(p) for p in problems))
        with session_scope(self.sessions) as session:
            audit.record(
                session,
                FILE_AUTHOR,
                "config.refused",
                name,
                {"file": str(path), "problems": [str(p) for p in problems]},
            )
        return f"{name}: edit on disk refused: {problems[0]}"

    def status(self) -> dict:
        """What the console shows: per file, in sync or refused (with the problems)."""
        return {
            "last_check_at": self.last_check_at.isoformat() if self.last_check_at else None,
            "last_error": self.last_error,
            "running": self._loop.is_alive(),
            "files": {
                name: {"state": "refused" if s.refusal else "ok", "refusal": s.refusal and s.refusal.to_dict()}
                for name, s in self.states.items()
            },
        }

    def start(self) -> None:
        self._loop.start()

    def stop(self) -> None:
        self._loop.stop()

    def _check_and_log(self) -> None:
        for line in self.check():
            log.info("config drift: %s", line)


def _pending_proposal(session: Session, name: str, checksum: str | None) -> bool:
    query = select(ConfigProposal.id).where(
        ConfigProposal.name == name, ConfigProposal.status == PENDING, ConfigProposal.checksum == checksum
    )
    return session.scalar(query.limit(1)) is not None


def config_health(watcher: DriftWatcher | None) -> ComponentStatus:
    """The configuration component: unhealthy while an edit on disk is refused, naming file and error."""
    if watcher is None:
        return ComponentStatus("config", HEALTHY, "disk check is off")
    refused = [s.refusal for s in watcher.states.values() if s.refusal]
    if refused:
        first = refused[0]
        reason = f"{first.file} refused, last good version still serving: {first.problems[0]}"
        return ComponentStatus("config", UNHEALTHY, reason, details=watcher.status())
    if watcher.last_error:
        return ComponentStatus("config", UNHEALTHY, f"disk check failed: {watcher.last_error}")
    return ComponentStatus("config", HEALTHY, details={"last_check_at": watcher.status()["last_check_at"]})
