"""Observability tests run on SQLite unless the database flavour matters (those ask for database_url)."""

import pytest

from tests.support.helpers import make_settings


@pytest.fixture
def settings(tmp_path, sqlite_url):
    return make_settings(tmp_path, sqlite_url)
