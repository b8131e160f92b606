"""Threads of one process queue for SQLite's write lock on the gate, not in SQLite's busy handler."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from memo_coach.db.engine import make_engine


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'gate.db'}")

    @event.listens_for(engine, "connect")
    def no_busy_wait(dbapi_conn, _record):  # without the gate, a second writer would fail at once
        dbapi_conn.execute("PRAGMA busy_timeout=0")

    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT)"))
    yield engine
    engine.dispose()


def test_a_second_writer_in_the_process_waits_for_the_first_to_commit(engine):
    b_trying = threading.Event()
    errors: list[Exception] = []

    def first() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t (who) VALUES ('a')"))
            b_trying.wait(5)
            time.sleep(0.2)  # b is now at the lock, inside its INSERT

    def second() -> None:
        try:
            with engine.begin() as conn:
                b_trying.set()
                conn.execute(text("INSERT INTO t (who) VALUES ('b')"))
        except Exception as exc:  # "database is locked" had b met SQLite's lock
            errors.append(exc)

    a = threading.Thread(target=first)
    a.start()
    time.sleep(0.1)
    b = threading.Thread(target=second)
    b.start()
    a.join()
    b.join()
    assert errors == []
    with engine.connect() as conn:
        assert [r[0] for r in conn.execute(text("SELECT who FROM t ORDER BY id"))] == ["a", "b"]


def test_a_failed_write_gives_the_lock_back(engine):
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t (id, who) VALUES (1, 'a')"))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("INSERT INTO t (id, who) VALUES (1, 'again')"))
    done = threading.Event()

    def other_thread() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t (who) VALUES ('c')"))
        done.set()

    threading.Thread(target=other_thread, daemon=True).start()
    assert done.wait(5)


def test_reads_do_not_wait_for_a_writer(engine):
    with engine.begin() as writing:
        writing.execute(text("INSERT INTO t (who) VALUES ('uncommitted')"))
        seen: list[int] = []
        reader = threading.Thread(
            target=lambda: seen.append(engine.connect().execute(text("SELECT count(*) FROM t")).scalar())
        )
        reader.start()
        reader.join(5)
        assert seen == [0]
