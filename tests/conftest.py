"""Shared fixtures: a real database per test (SQLite file, and PostgreSQL where reachable)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import text
from typer.testing import CliRunner

from memo_coach.assembly import assemble
from memo_coach.auth import passwords
from memo_coach.cli.main import app as cli_app
from memo_coach.db import migrate
from memo_coach.db.engine import make_engine, make_session_factory
from memo_coach.settings import Settings, get_settings
from memo_coach.web.app import create_app
from tests.support import postgres
from tests.support.fake_llm import FakeLLM
from tests.support.helpers import CONFIG_DIR, create_user, initialise, make_settings, sign_in
from tests.support.postgres import ADMIN_URL as PG_ADMIN_URL

# The app's doors assemble the capabilities before anything else; so do the tests that call services directly.
assemble()

# CI sets this so a missing PostgreSQL fails the run instead of quietly skipping half the suite.
PG_REQUIRED = os.environ.get("MEMO_COACH_REQUIRE_PG") == "1"


_pg_reachable = postgres.unreachable


@pytest.fixture(autouse=True)
def _no_real_llm_keys(monkeypatch):
    """Tests never reach a real LLM, whatever the developer's shell exports."""
    for name in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "MEMO_COACH_DATABASE_URL", "MEMO_COACH_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True, scope="session")
def _cheap_argon2():
    """Real argon2id, with the smallest cost parameters: production cost would make each sign-in
    in the suite take a third of a second."""
    cheap = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    original, passwords._hasher = passwords._hasher, cheap
    yield
    passwords._hasher = original


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database() -> str:
    reason = _pg_reachable()
    if reason:
        if PG_REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"memo_coach_test_{os.getpid()}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _truncate_all(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in assemble().metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


def _private_copy(template: Path, path: Path) -> str:
    """A test database as the app would create it: readable by its owner only."""
    shutil.copy(template, path)
    path.chmod(0o600)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path, sqlite_template) -> str:
    if request.param == "sqlite":
        return _private_copy(sqlite_template, tmp_path / "memo_coach.db")
    url = request.getfixturevalue("pg_database")
    _truncate_all(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template) -> str:
    """For tests about SQLite itself, run once."""
    return _private_copy(sqlite_template, tmp_path / "memo_coach.db")


@pytest.fixture
def fake():
    """The fake LLM server on a loopback port, answering with the criteria of the repository's rubric."""
    with FakeLLM(rubric_path=CONFIG_DIR / "rubric.yaml") as server:
        yield server


@pytest.fixture
def settings(tmp_path, database_url) -> Settings:
    return make_settings(tmp_path, database_url)


@pytest.fixture
def admin_password(settings) -> str:
    return initialise(settings).admin_password


@pytest.fixture
def sessions(settings, admin_password):
    """Sessions on the test's initialised database, for tests that call services directly."""
    engine = make_engine(settings.sqlalchemy_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def command_line(settings, monkeypatch):
    """`memo-coach` in this process against the test's installation: invoke("config", "list", input=...)
    returns click's Result. Settings are read from the environment, so its cache is cleared both ways."""
    for name, value in {
        "MEMO_COACH_DATABASE_URL": settings.sqlalchemy_url,
        "MEMO_COACH_DATA_DIR": str(settings.data_dir),
        "MEMO_COACH_CONFIG_DIR": str(settings.config_dir),
        "MEMO_COACH_FIRST_BACKUP": "false",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args, **options: runner.invoke(cli_app, [str(a) for a in args], **options)
    get_settings.cache_clear()


@pytest.fixture
def app(settings, admin_password):
    return create_app(settings)


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture
def admin_headers(client, admin_password) -> dict[str, str]:
    return sign_in(client, "admin", admin_password)


@pytest.fixture
def writer_headers(client, admin_headers) -> dict[str, str]:
    return create_user(client, admin_headers, "writer1")
