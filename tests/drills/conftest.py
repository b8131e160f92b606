"""Fault drills: real `memo-coach` processes on loopback ports, real faults (kill -9, a full disk,
a restore under writes, a failing model). Each drill says what must hold afterwards."""

from __future__ import annotations

import pytest

from tests.drills.servers import Site


@pytest.fixture
def site(tmp_path):
    deployment = Site(tmp_path)
    yield deployment
    deployment.stop_all()
