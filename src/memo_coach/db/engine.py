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
WROTE = "memo_coach.wrote"  # Session.info key: this session has flushed or executed a write


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
    factory = sessionmaker(engine, expire_on_commit=False)
    event.listen(factory, "after_flush", _note_write)
    event.listen(factory, "do_orm_execute", _note_statement)
    event.listen(factory, "after_transaction_end", _forget_writes)
    return factory


def _note_write(session: Session, _context) -> None:
    session.info[WROTE] = True


def _note_statement(state) -> None:
    if not state.is_select:
        state.session.info[WROTE] = True


def _forget_writes(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended: its writes are committed or gone
        session.info.pop(WROTE, None)


def release_connection(session: Session) -> bool:
    """Ends a transaction that has only read, giving its connection back to the pool; the session
    and its loaded objects stay usable. A request's dependencies each run in their own thread of a
    shared pool: a request that kept its connection while waiting for the next thread could, with
    enough writers at once, leave every thread waiting for a connection held by a request that waits
    for a thread (PostgreSQL's bounded pool stalled for its 30 s timeout). Anything written stays."""
    if session.info.get(WROTE) or session.new or session.dirty or session.deleted:
        return False
    if session.in_transaction():
        session.commit()
    return True


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
