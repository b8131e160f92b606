"""A database with the shipped configuration imported, and a session factory on it."""

import pytest

from memo_coach.db.engine import make_engine, make_session_factory
from tests.support.helpers import initialise, make_settings


@pytest.fixture
def store_settings(tmp_path, sqlite_url):
    settings = make_settings(tmp_path, sqlite_url)
    initialise(settings)
    return settings


@pytest.fixture
def sessions(store_settings):
    engine = make_engine(store_settings.sqlalchemy_url)
    yield make_session_factory(engine)
    engine.dispose()
