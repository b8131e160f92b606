"""The model failing every way we know, against a real server: writers always get an evaluation,
from the offline analyzer and marked degraded, and never wait past the deadline."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import psutil
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


def test_a_killed_llm_process_costs_no_evaluation_and_a_new_one_answers_the_next(server, model):
    """kill -9 of the process that holds the SDK while evaluations wait for the model: each is retried
    by a new LLM process or answered offline, none is lost, and the server itself never notices."""
    model.default = "slow:1.5"
    headers = server.sign_in("bob")
    seen = model.request_count
    with ThreadPoolExecutor(5) as pool:  # and one more later: the writer's limit is 6 a minute
        answers = [pool.submit(_submit, server, headers, n) for n in range(5)]
        while model.request_count < seen + 5 and not any(a.done() for a in answers):
            time.sleep(0.02)
        [llm_process] = _llm_processes(server)
        llm_process.kill()
        evaluations = [a.result(timeout=60) for a in answers]
    assert all(ev["status"] == "completed" for ev in evaluations)
    assert {ev["text_content"] for ev in evaluations} == {f"{MEMO} (memo {n})" for n in range(5)}
    model.default = "good"
    assert _submit(server, headers, 99)["provider"] == "openai"
    assert [p.pid for p in _llm_processes(server)] != [llm_process.pid]
    assert server.proc.poll() is None


def _submit(server, headers: dict, n: int) -> dict:
    with server.client() as c:
        answer = c.post("/api/v1/evaluations/submit", headers=headers, json={"text_content": f"{MEMO} (memo {n})"})
        assert answer.status_code == 201, answer.text
        stored = c.get(f"/api/v1/evaluations/{answer.json()['data']['id']}", headers=headers)
    return stored.json()["data"]  # read back: what the writer finds later


def _llm_processes(server) -> list[psutil.Process]:
    children = psutil.Process(server.proc.pid).children(recursive=True)
    return [p for p in children if "memo_coach.coaching.llm.sdk_child" in p.cmdline()]
