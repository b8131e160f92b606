"""Incident tests run on SQLite unless the database flavour matters (those ask for database_url)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from memo_coach.config_store.versions import apply
from memo_coach.db.engine import session_scope
from memo_coach.observability.history.models import MetricSample
from memo_coach.observability.history.rollup import RAW
from tests.support.helpers import make_settings

# An hour ahead of the real clock, on a 5-minute boundary: maintenance windows may only be planned ahead.
T0 = datetime.fromtimestamp((int(datetime.now(UTC).timestamp()) // 300 + 12) * 300, UTC)


@pytest.fixture
def settings(tmp_path, sqlite_url):
    return make_settings(tmp_path, sqlite_url)


@pytest.fixture
def sessions(app):
    return app.state.runtime.sessions


def use_monitoring(sessions, rules: str, channels: str = "[]", extra: str = "") -> None:
    """Activates a monitoring.yaml with these rules (YAML list text) and channels."""
    content = f"interval_seconds: 15\nchannels: {channels}\n{extra}\nrules:\n{rules}"
    with session_scope(sessions) as session:
        apply(session, "monitoring", content, author="test", reason="rules under test")


def record(sessions, name: str, values: list[float], start: datetime = T0, label: str = "", step: int = 15) -> None:
    """Stores raw samples of one series every `step` seconds from `start`."""
    with session_scope(sessions) as session:
        session.add_all(
            MetricSample(
                ts=start + timedelta(seconds=step * i), resolution=RAW, replica="r1", name=name, labels=label, value=v
            )
            for i, v in enumerate(values)
        )
