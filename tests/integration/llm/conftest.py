"""The fake LLM server every client test in this folder talks to over real HTTP, and the LLM process
they call through."""

import pytest

from memo_coach.coaching.llm.sdk_process import SDKProcess
from tests.support.fake_llm import FakeLLM


@pytest.fixture
def fake():
    with FakeLLM() as server:
        yield server


@pytest.fixture(scope="session")
def llm_process():
    """One for the folder, as a server has one: each new process imports an SDK again, for seconds.
    Tests that kill or stall the process make their own (see test_llm_process.py)."""
    process = SDKProcess()
    yield process
    process.close()
