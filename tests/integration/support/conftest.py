"""Support tests run on SQLite unless the database flavour matters; a fake incident view for linking."""

from __future__ import annotations

import pytest

from memo_coach.support import incident_view
from memo_coach.support.incident_view import ActionItem, IncidentSummary
from tests.support.helpers import make_settings


@pytest.fixture
def settings(tmp_path, sqlite_url):
    return make_settings(tmp_path, sqlite_url)


class FakeIncidents:
    """Stands in for the incidents capability behind support's one seam."""

    available = True
    reason = ""

    def __init__(self, open_now: list[IncidentSummary] = (), actions: list[ActionItem] = ()) -> None:
        self.open_now, self.actions = list(open_now), list(actions)

    def open_incidents(self, session):
        return self.open_now

    def incidents_between(self, session, start, end):
        return self.open_now

    def action_items(self, session):
        return self.actions


@pytest.fixture
def fake_incidents():
    """Support's seam answered by a fake; the view the assembly provided comes back afterwards."""
    fake = FakeIncidents()
    provided = incident_view.incidents()
    incident_view.provide(fake)
    yield fake
    incident_view.provide(provided)
