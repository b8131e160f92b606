"""The task registry: name -> function. Each concept registers the tasks whose subject it owns.

maintenance.yaml may schedule only registered tasks, so a task never pretends to exist. A capability
keeps its tasks in its own package (maintenance/tasks/, security/tasks.py); the app's assembly imports
them, so the list is complete before the first schedule is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.settings import Settings


@dataclass
class TaskContext:
    """What a task gets: the app's settings and database, the run's id and the active maintenance config."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    config: Any  # MaintenanceConfig
    now: datetime
    run_id: int | None = None
    trigger: str = "schedule"


@dataclass(frozen=True)
class TaskOutcome:
    summary: str
    details: dict[str, Any] = field(default_factory=dict)


class TaskSkipped(Exception):
    """Raised by a task that has nothing to do here (e.g. a SQLite-only step on PostgreSQL)."""


class TaskFailed(Exception):
    """Raised by a task that ran but found a problem; details land in the run record."""

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.details = details or {}


TaskFunction = Callable[[TaskContext], TaskOutcome]


@dataclass(frozen=True)
class RegisteredTask:
    name: str
    function: TaskFunction
    description: str
    # It makes room on the disk (cleanup, WAL checkpoint): on a full disk it runs before its run is
    # recorded, since recording first would need the room it is there to make.
    frees_space: bool = False


_TASKS: dict[str, RegisteredTask] = {}


def register(name: str, description: str, frees_space: bool = False) -> Callable[[TaskFunction], TaskFunction]:
    def decorate(function: TaskFunction) -> TaskFunction:
        _TASKS[name] = RegisteredTask(name, function, description, frees_space)
        return function

    return decorate


def tasks() -> dict[str, RegisteredTask]:
    """Every registered task."""
    return dict(_TASKS)


def get(name: str) -> RegisteredTask:
    return tasks()[name]
