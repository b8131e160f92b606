"""Fixtures the integration tests of several capabilities share."""

import pytest

from memo_coach.coaching import health as coaching_health


@pytest.fixture
def fresh_probes(monkeypatch):
    """The LLM health probe remembers its last probe per process; each test starts without one."""
    monkeypatch.setattr(coaching_health, "PROBES", coaching_health.ProbeMemo())
