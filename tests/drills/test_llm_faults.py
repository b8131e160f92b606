"""The model failing every way we know, against a real server: writers always get an evaluation,
from the offline analyzer and marked degraded, and never wait past the deadline."""

from __future__ import annotations

import time

import pytest

from tests.drills.servers import Site
from tests.support.fake_llm import FakeLLM
from tests.support.helpers import CONFIG_DIR

DEADLINE = 4
MEMO = "We should move to one vendor. It saves $120,000 a year. We ask for approval by Friday."


@pytest.fixture(scope="module")
def model():
    with FakeLLM(rubric_path=CONFIG_DIR / "rubric.yaml") as server:
        yield server


@pytest.fixture(scope="module")
def server(tmp_path_factory, model):
    """One server for every fault: each fault is a new default behaviour of the fake model."""
    site = Site(tmp_path_factory.mktemp("llm-faults")).init(model.openai_base_url, timeout=2, max_retries=1)
    yield site.serve(MEMO_COACH_EVALUATION_DEADLINE_SECONDS=str(DEADLINE))
    site.stop_all()


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        ("status:500", "HTTP 500"),
        ("hang", "did not answer"),
        ("garbled", "unreadably"),
        ("invalid", "malformed JSON twice"),
        ("status:401", "HTTP 401"),
    ],
)
def test_a_failing_model_gives_writers_the_offline_answer_in_time(server, model, behaviour, reason):
    model.default = behaviour
    headers = server.sign_in("alice")
    started = time.monotonic()
    with server.client() as c:
        answer = c.post("/api/v1/evaluations/submit", headers=headers, json={"text_content": MEMO})
    took = time.monotonic() - started
    assert answer.status_code == 201, answer.text
    ev = answer.json()["data"]
    assert ev["status"] == "completed" and ev["degraded"] is True and ev["provider"] == "offline"
    assert reason in ev["degraded_reason"], ev["degraded_reason"]
    assert took < DEADLINE + 3, f"{behaviour}: {took:.1f} s"
