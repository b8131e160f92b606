"""Support tests run on SQLite unless the database flavour matters; incidents are real rows, opened
through the incidents service as the alert rules would."""

from __future__ import annotations

from datetime import datetime

import pytest

from memo_coach.config_store.versions import read_active
from memo_coach.incidents import service
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.models import Incident
from memo_coach.incidents.status import COMPONENTS
from tests.support.helpers import make_settings


@pytest.fixture
def settings(tmp_path, sqlite_url):
    return make_settings(tmp_path, sqlite_url)


def open_incident_on(
    session, check: str, title: str, *, update: str | None = None, now: datetime | None = None
) -> Incident:
    """An incident on the status-page component that covers the health check `check`, with an optional
    public update (what a writer is told)."""
    component = next(name for name, checks in COMPONENTS.items() if check in checks)
    config = read_active(session, MonitoringConfig)
    incident = service.open_incident(
        session, config, title=title, severity="P2", source="manual", component=component, now=now
    )
    if update:
        service.add_note(session, incident, "dana", update, public=True)
    return incident
