"""LLM calls go through one child process that alone imports the SDK: the server stays small, waiting
calls cost no threads there, and a child that dies or hangs costs a retry, not an evaluation."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest

from memo_coach.coaching.config_schemas import LLMConfig, ProviderSettings
from memo_coach.coaching.llm import sdk_process
from memo_coach.coaching.llm.breaker import CircuitBreaker
from memo_coach.coaching.llm.client import LLMClient
from memo_coach.coaching.llm.errors import LLMError
from memo_coach.coaching.llm.sdk_process import SDKProcess

MESSAGES = [{"role": "user", "content": "Say hello."}]


@pytest.fixture
def llm_process():
    """Its own, not the folder's: these tests kill and stall it."""
    process = SDKProcess()
    yield process
    process.close()


def make_client(fake, process: SDKProcess, provider="anthropic", **config) -> LLMClient:
    cfg = LLMConfig(**{"timeout_seconds": 5, "max_retries": 0, "backoff_base_seconds": 0.01, **config})
    url = fake.anthropic_base_url if provider == "anthropic" else fake.openai_base_url
    return LLMClient(
        provider,
        ProviderSettings(model="m", base_url=url),
        cfg,
        "sk-test",
        CircuitBreaker(100, 1),
        sleep=lambda s: None,
        process=process,
    )


def _started_child(client: LLMClient, fake, process: SDKProcess) -> psutil.Process:
    fake.script("text:warm")
    assert client.complete("s", MESSAGES) == "warm"
    return psutil.Process(process.pid())


def _in_flight(fake, client: LLMClient) -> tuple[threading.Thread, list]:
    """A call that is waiting for the fake's slow answer when this returns."""
    outcome: list = []
    seen = fake.request_count

    def call() -> None:
        try:
            outcome.append(client.complete("s", MESSAGES))
        except LLMError as e:
            outcome.append(e)

    thread = threading.Thread(target=call)
    thread.start()
    while fake.request_count == seen and thread.is_alive():
        threading.Event().wait(0.01)
    assert not outcome, f"the call ended before reaching the fake: {outcome}"
    return thread, outcome


def test_the_calling_process_never_imports_an_sdk(fake):
    script = f"""
import json, sys
from memo_coach.coaching.config_schemas import LLMConfig, ProviderSettings
from memo_coach.coaching.llm.breaker import CircuitBreaker
from memo_coach.coaching.llm.client import LLMClient
from memo_coach.coaching.llm.sdk_process import SDKProcess
answers, process = [], SDKProcess()
for provider, url in (("anthropic", {fake.anthropic_base_url!r}), ("openai", {fake.openai_base_url!r})):
    client = LLMClient(provider, ProviderSettings(model="m", base_url=url), LLMConfig(), "k", CircuitBreaker(), process=process)
    answers.append(client.complete("s", [{{"role": "user", "content": "hi"}}]))
print(json.dumps({{"answers": answers, "sdks": sorted({{"anthropic", "openai"}} & set(sys.modules))}}))
"""
    fake.script("text:one", "text:two")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout) == {"answers": ["one", "two"], "sdks": []}


def test_a_killed_llm_process_fails_the_calls_in_flight_as_retryable_and_the_next_starts_another(fake, llm_process):
    client = make_client(fake, llm_process)
    child = _started_child(client, fake, llm_process)
    fake.script("slow:30")
    thread, outcome = _in_flight(fake, client)
    child.send_signal(signal.SIGKILL)
    thread.join(timeout=20)
    [error] = outcome
    assert isinstance(error, LLMError) and error.retryable and "LLM process ended" in str(error)
    fake.script("text:again")
    assert client.complete("s", MESSAGES) == "again"
    assert llm_process.pid() not in (None, child.pid)


def test_a_call_whose_llm_process_is_killed_is_retried_and_answered(fake, llm_process):
    client = make_client(fake, llm_process, provider="openai", max_retries=2)
    child = _started_child(client, fake, llm_process)
    fake.script("slow:30", "text:answered after the kill")
    thread, outcome = _in_flight(fake, client)
    child.send_signal(signal.SIGKILL)
    thread.join(timeout=30)
    assert outcome == ["answered after the kill"]


def test_a_stuck_llm_process_is_killed_and_replaced(fake, llm_process, monkeypatch):
    client = make_client(fake, llm_process, timeout_seconds=0.5)
    child = _started_child(client, fake, llm_process)
    monkeypatch.setattr(sdk_process, "GRACE_SECONDS", 0.5)
    child.suspend()
    with pytest.raises(LLMError, match="LLM process did not answer") as caught:
        client.complete("s", MESSAGES)
    assert caught.value.retryable
    assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE
    monkeypatch.setattr(sdk_process, "GRACE_SECONDS", 30)  # the new child's first call imports the SDK
    fake.script("text:new child")
    assert client.complete("s", MESSAGES) == "new child"


def test_slow_calls_wait_together_as_tasks_in_one_llm_process_not_as_its_threads(fake, llm_process):
    client = make_client(fake, llm_process, timeout_seconds=30)
    child = _started_child(client, fake, llm_process)
    threads_at_rest = child.num_threads()
    fake.script(*["slow:2"] * 40)
    with ThreadPoolExecutor(40) as pool:
        answers = [pool.submit(client.complete, "s", MESSAGES) for _ in range(40)]
        # The warm-up call, and all forty waiting at the fake at once (unless one failed: shown below).
        while fake.request_count < 41 and not any(a.done() for a in answers):
            threading.Event().wait(0.01)
        assert child.num_threads() == threads_at_rest
        assert all(a.result(timeout=60) for a in answers)
    assert llm_process.pid() == child.pid


def test_the_llm_process_ends_with_its_parent_even_after_kill_9(fake):
    script = f"""
from memo_coach.coaching.config_schemas import LLMConfig, ProviderSettings
from memo_coach.coaching.llm.breaker import CircuitBreaker
from memo_coach.coaching.llm.client import LLMClient
from memo_coach.coaching.llm.sdk_process import SDKProcess
process = SDKProcess()
client = LLMClient("openai", ProviderSettings(model="m", base_url={fake.openai_base_url!r}), LLMConfig(), "k", CircuitBreaker(), process=process)
client.complete("s", [{{"role": "user", "content": "hi"}}])
print(process.pid(), flush=True)
input()
"""
    parent = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    child = psutil.Process(int(parent.stdout.readline()))
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=10)
    child.wait(timeout=20)  # psutil.TimeoutExpired if it lingered
    parent.stdin.close()
    parent.stdout.close()
