"""Fixtures for the maintenance tests: a database at head, its engine and session factory, a backup target."""

from __future__ import annotations

from pathlib import Path

import pytest

from memo_coach.db.engine import make_engine, make_session_factory
from memo_coach.maintenance.backups.service import BackupTarget
from memo_coach.maintenance.config import BackupPolicy
from memo_coach.maintenance.scheduler.runner import TaskRunner
from tests.support.helpers import initialise, make_settings


@pytest.fixture
def ops_settings(tmp_path: Path, sqlite_url: str):
    settings = make_settings(tmp_path, sqlite_url)
    initialise(settings)
    return settings


@pytest.fixture
def engine(ops_settings):
    engine = make_engine(ops_settings.sqlalchemy_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine):
    return make_session_factory(engine)


@pytest.fixture
def target(ops_settings, engine) -> BackupTarget:
    return BackupTarget.of(ops_settings, engine, BackupPolicy())


@pytest.fixture
def runtime(ops_settings, engine, sessions) -> TaskRunner:
    return TaskRunner(ops_settings, engine, sessions, "test-runner")
