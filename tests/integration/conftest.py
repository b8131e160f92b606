"""Fixtures the integration tests of several capabilities share."""

import pytest

from memo_coach.observability.health import llm as llm_check


@pytest.fixture
def fresh_probes(monkeypatch):
    """The LLM health probe remembers its last probe per process; each test starts without one."""
    monkeypatch.setattr(llm_check, "PROBES", llm_check.ProbeMemo())
