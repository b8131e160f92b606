"""The LLM client against OpenAI's wire format (also vLLM, Ollama, llama.cpp), over real HTTP with the SDK."""

import pytest

from memo_coach.coaching.config_schemas import LLMConfig, ProviderSettings
from memo_coach.coaching.llm.breaker import CircuitBreaker
from memo_coach.coaching.llm.client import NO_KEY_PLACEHOLDER, LLMClient
from memo_coach.coaching.llm.errors import BreakerOpen, LLMError
from tests.support.helpers import FakeClock

PATH = "/v1/chat/completions"
MESSAGES = [{"role": "user", "content": "Say hello."}]


def make_client(fake, process, breaker=None, api_key="sk-openai-test-key", json_mode=False, **config):
    """A client with tiny timeouts; its sleeps are recorded instead of slept."""
    options = {"timeout_seconds": 0.3, "max_retries": 2, "backoff_base_seconds": 0.01, "backoff_max_seconds": 2}
    cfg = LLMConfig(**{**options, **config})
    sleeps: list[float] = []
    client = LLMClient(
        "openai",
        ProviderSettings(model="gpt-test", base_url=fake.openai_base_url),
        cfg,
        api_key,
        breaker or CircuitBreaker(cfg.breaker.failure_threshold, cfg.breaker.reset_seconds),
        sleep=sleeps.append,
        process=process,
        json_mode=json_mode,
    )
    return client, sleeps


def test_it_returns_the_answer_text(fake, llm_process):
    client, _ = make_client(fake, llm_process)
    fake.script("text:Hello there.")
    assert client.complete("Be brief.", MESSAGES) == "Hello there."


def test_it_sends_the_system_prompt_as_the_first_message(fake, llm_process):
    client, _ = make_client(fake, llm_process, max_tokens=999, temperature=0.1)
    client.complete("Be brief.", MESSAGES)
    [request] = fake.requests
    body = request["json"]
    assert request["path"] == PATH
    assert body["model"] == "gpt-test"
    assert body["messages"] == [{"role": "system", "content": "Be brief."}, *MESSAGES]
    assert body["max_tokens"] == 999 and body["temperature"] == 0.1
    assert "response_format" not in body  # not every compatible server supports it
    assert request["headers"]["authorization"] == "<redacted>"


def test_json_mode_asks_for_a_json_object_when_enabled(fake, llm_process):
    client, _ = make_client(fake, llm_process, json_mode=True)
    client.complete("s", MESSAGES)
    assert fake.requests[0]["json"]["response_format"] == {"type": "json_object"}


def test_a_local_server_needs_no_key(fake, llm_process):
    client, _ = make_client(fake, llm_process, api_key=None)
    fake.script("text:ok")
    assert client.complete("s", MESSAGES) == "ok"
    assert NO_KEY_PLACEHOLDER  # sent in place of a key; local servers ignore it


def test_a_missing_key_without_base_url_is_refused(llm_process):
    with pytest.raises(ValueError, match="API key or a base_url"):
        LLMClient(
            "openai", ProviderSettings(model="gpt-test"), LLMConfig(), None, CircuitBreaker(), process=llm_process
        )


def test_it_honours_retry_after_on_429(fake, llm_process):
    client, sleeps = make_client(fake, llm_process)
    fake.script("status:429:retry_after=0.4", "text:ok")
    assert client.complete("s", MESSAGES) == "ok"
    assert sleeps == [pytest.approx(0.4)]


@pytest.mark.parametrize("status", ["status:500", "status:529", "status:502"])
def test_it_retries_server_errors_then_succeeds(fake, llm_process, status):
    client, sleeps = make_client(fake, llm_process)
    fake.script(status, "text:ok")
    assert client.complete("s", MESSAGES) == "ok"
    assert fake.request_count == 2 and len(sleeps) == 1


def test_a_slow_answer_beyond_the_timeout_fails_after_retries(fake, llm_process):
    client, _ = make_client(fake, llm_process, timeout_seconds=0.2, max_retries=1)
    fake.script("slow:1", "slow:1")
    with pytest.raises(LLMError, match=r"openai did not answer within 0\.2 s") as caught:
        client.complete("s", MESSAGES)
    assert caught.value.retryable
    assert fake.request_count == 2


def test_a_slow_answer_within_the_timeout_succeeds(fake, llm_process):
    client, _ = make_client(fake, llm_process, timeout_seconds=1)
    fake.script("slow:0.1")
    assert client.complete("s", MESSAGES)


def test_a_hanging_server_ends_in_a_timeout_error(fake, llm_process):
    client, _ = make_client(fake, llm_process, timeout_seconds=0.2, max_retries=0)
    fake.script("hang")
    with pytest.raises(LLMError, match="did not answer"):
        client.complete("s", MESSAGES)


def test_a_dropped_connection_is_retried(fake, llm_process):
    client, _sleeps = make_client(fake, llm_process)
    fake.script("drop", "text:ok")
    assert client.complete("s", MESSAGES) == "ok"
    assert fake.request_count == 2


def test_a_bad_request_is_not_retried(fake, llm_process):
    client, sleeps = make_client(fake, llm_process)
    fake.script("status:400", "text:never reached")
    with pytest.raises(LLMError, match="HTTP 400") as caught:
        client.complete("s", MESSAGES)
    assert not caught.value.retryable
    assert fake.request_count == 1 and sleeps == []


def test_the_breaker_opens_and_sends_nothing_while_open(fake, llm_process):
    client, _ = make_client(
        fake, llm_process, max_retries=0, breaker=CircuitBreaker(failure_threshold=3, reset_seconds=30)
    )
    fake.script("status:503", "status:503", "status:503")
    for _ in range(3):
        with pytest.raises(LLMError):
            client.complete("s", MESSAGES)
    for _ in range(5):
        with pytest.raises(BreakerOpen):
            client.complete("s", MESSAGES)
    assert fake.request_count == 3


def test_the_breaker_closes_after_a_successful_trial(fake, llm_process):
    clock = FakeClock()
    client, _ = make_client(fake, llm_process, max_retries=0, breaker=CircuitBreaker(1, 5, clock=clock))
    fake.script("drop")
    with pytest.raises(LLMError):
        client.complete("s", MESSAGES)
    clock.now += 5
    assert client.complete("s", MESSAGES)
    assert client.breaker.state == "closed"
