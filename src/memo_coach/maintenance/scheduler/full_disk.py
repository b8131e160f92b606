"""Running a task that frees space on a disk too full to record that it started.

Recording a run takes room: a lease update, a task-run row, an audit event. On a full disk those
writes fail before cleanup could delete a single file, which is exactly when a runbook tells the
operator to run it. So a task that frees space (task_registry's `frees_space`) runs first here, and
its run is recorded afterwards, once it has made room; when there is still none, the caller is told
what the task did all the same (RunNotRecorded).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from memo_coach import audit
from memo_coach.config_store.loader import ConfigError, load_file
from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.db.storage import is_storage_full
from memo_coach.errors import AppError
from memo_coach.maintenance.config import MaintenanceConfig
from memo_coach.maintenance.scheduler import runner

log = logging.getLogger(__name__)
# SQLite cannot even open a database whose shared-memory file it cannot create, and says only "disk
# I/O error"; less than this much free in the data directory is then read as a full disk.
NEARLY_FULL_BYTES = 1 << 20
STORAGE_ERRORS = (SQLAlchemyError, OSError)


class RunNotRecorded(AppError):
    """The task ran, but the disk was still too full to record it."""

    status = 507
    code = "storage_full"

    def __init__(self, name: str, outcome: dict) -> None:
        self.outcome = outcome
        said = outcome.get("summary") or outcome.get("reason") or ""
        super().__init__(
            f"{name} {outcome['status']}: {said}; the run could not be recorded because the disk is still full"
        )


def no_room(exc: BaseException, data_dir: Path) -> bool:
    """The failure is a full disk: the error says so, or the data directory has (almost) no room left."""
    if is_storage_full(exc):
        return True
    try:
        return shutil.disk_usage(data_dir).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def run_first(rt: runner.TaskRunner, name: str, trigger: str, actor: str) -> int:
    """Runs the task, then records the finished run; returns its id, or raises RunNotRecorded."""
    config = _config(rt)
    timeout = config.tasks[name].timeout_seconds if name in config.tasks else runner.DEFAULT_TIMEOUT
    started = utcnow()
    log.warning("the disk is full: running %s before recording it", name)
    outcome, seconds = runner.run_bounded(rt, None, name, config, timeout, trigger)
    try:
        run_id = runner.record_finished(rt, name, trigger, actor, outcome, started, seconds)
        with session_scope(rt.sessions) as session:
            details = {"trigger": trigger, "claimed": False, "recorded_after_it_ran": True}
            audit.record(session, actor, "task.run_requested", name, details)
    except STORAGE_ERRORS as exc:
        if no_room(exc, rt.settings.data_dir):
            raise RunNotRecorded(name, outcome) from exc
        raise
    return run_id


def _config(rt: runner.TaskRunner) -> MaintenanceConfig:
    """The active maintenance configuration; the file on disk when the database cannot be read, and
    the defaults when neither can."""
    try:
        with session_scope(rt.sessions) as session:
            return read_active(session, MaintenanceConfig)
    except STORAGE_ERRORS:
        pass
    try:
        return load_file("maintenance", rt.settings.config_dir)[0]
    except ConfigError:
        return MaintenanceConfig()
