"""The fake LLM server every client test in this folder talks to over real HTTP."""

import pytest

from tests.support.fake_llm import FakeLLM


@pytest.fixture
def fake():
    with FakeLLM() as server:
        yield server
