"""A request's read-only dependencies give their connection back before the route's own thread."""

import pytest
from sqlalchemy import Column, Integer, String, select, update
from sqlalchemy.orm import declarative_base

from memo_coach.db.engine import make_engine, make_session_factory, release_connection

Base = declarative_base()


class Row(Base):
    __tablename__ = "rows"
    id = Column(Integer, primary_key=True)
    name = Column(String)


@pytest.fixture
def factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as s:
        s.add(Row(id=1, name="first"))
    yield sessions
    engine.dispose()


def checked_out(sessions) -> int:
    return sessions.kw["bind"].pool.checkedout()


def test_a_read_gives_the_connection_back_and_keeps_what_it_loaded(factory):
    with factory() as s:
        row = s.scalar(select(Row))
        assert checked_out(factory) == 1
        assert release_connection(s)
        assert checked_out(factory) == 0 and not s.in_transaction()
        assert row.name == "first" and row in s  # loaded and still attached
        s.add(Row(id=2, name="second"))  # the session goes on: a new transaction, a new connection
        s.commit()
    with factory() as s:
        assert s.scalar(select(Row.name).where(Row.id == 2)) == "second"


@pytest.mark.parametrize(
    "write",
    [
        lambda s: s.add(Row(id=3, name="pending")),
        lambda s: (s.add(Row(id=3, name="flushed")), s.flush()),
        lambda s: s.execute(update(Row).values(name="changed")),
    ],
    ids=["pending", "flushed", "statement"],
)
def test_a_session_that_wrote_keeps_its_transaction(factory, write):
    with factory() as s:
        s.scalar(select(Row))
        write(s)
        assert not release_connection(s)
        assert s.in_transaction() and checked_out(factory) == 1
        s.rollback()  # nothing was committed early
    with factory() as s:
        assert s.scalar(select(Row.name).where(Row.id == 1)) == "first"
        assert s.get(Row, 3) is None


def test_after_a_commit_the_session_reads_and_releases_again(factory):
    with factory() as s:
        s.execute(update(Row).values(name="changed"))
        s.commit()
        s.scalar(select(Row))
        assert release_connection(s)
        assert checked_out(factory) == 0
