"""Fault drills: real `memo-coach` processes on loopback ports, real faults (kill -9, a full disk,
a restore under writes, a failing model). Each drill says what must hold afterwards."""

from __future__ import annotations

import pytest

from tests.drills.servers import Site
from tests.support.fake_llm import FakeLLM
from tests.support.helpers import CONFIG_DIR


@pytest.fixture
def fake():
    with FakeLLM(rubric_path=CONFIG_DIR / "rubric.yaml") as server:
        yield server


@pytest.fixture
def site(tmp_path):
    deployment = Site(tmp_path)
    yield deployment
    deployment.stop_all()
