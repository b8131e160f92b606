"""Engine and sessions; SQLite gets WAL, foreign keys and a busy timeout on every connection, and one
writer at a time per process (see sqlite_gate.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.db.sqlite_gate import gated_connection_factory

SQLITE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # A request holds its connection between its dependencies, each of which waits for a thread of
        # the pool that runs them; with fewer connections than requests in flight, every thread can end
        # up waiting for a connection held by a request that waits for a thread (30 s, then 500s at 100
        # concurrent writers). SQLite connections are cheap, so overflow is allowed well past that.
        connect_args = {"check_same_thread": False, "factory": gated_connection_factory(path, SQLITE_BUSY_TIMEOUT_MS)}
        engine = create_engine(url, connect_args=connect_args, pool_size=20, max_overflow=400)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
