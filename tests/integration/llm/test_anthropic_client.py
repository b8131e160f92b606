"""The LLM client against Anthropic's wire format, over real HTTP to the fake server, with the official SDK."""

import pytest

from memo_coach.coaching.config_schemas import LLMConfig, ProviderSettings
from memo_coach.coaching.llm.breaker import CircuitBreaker
from memo_coach.coaching.llm.client import LLMClient
from memo_coach.coaching.llm.errors import BreakerOpen, LLMError
from tests.support.helpers import FakeClock

PROVIDER = "anthropic"
PATH = "/v1/messages"
MESSAGES = [{"role": "user", "content": "Say hello."}]


def make_client(fake, process, breaker=None, on_call=None, **config) -> tuple[LLMClient, list[float]]:
    """A client with tiny timeouts; its sleeps are recorded instead of slept."""
    options = {"timeout_seconds": 0.3, "max_retries": 2, "backoff_base_seconds": 0.01, "backoff_max_seconds": 2}
    cfg = LLMConfig(**{**options, **config})
    sleeps: list[float] = []
    client = LLMClient(
        PROVIDER,
        ProviderSettings(model="claude-test", base_url=fake.anthropic_base_url),
        cfg,
        "sk-ant-test-key",
        breaker or CircuitBreaker(cfg.breaker.failure_threshold, cfg.breaker.reset_seconds),
        sleep=sleeps.append,
        process=process,
        on_call=on_call,
    )
    return client, sleeps


def test_it_returns_the_answer_text(fake, llm_process):
    client, _ = make_client(fake, llm_process)
    fake.script("text:Hello there.")
    assert client.complete("Be brief.", MESSAGES) == "Hello there."


def test_it_sends_model_system_messages_and_max_tokens_without_sdk_retries(fake, llm_process):
    client, _ = make_client(fake, llm_process, max_tokens=1234)
    client.complete("Be brief.", MESSAGES)
    [request] = fake.requests
    assert request["path"] == PATH
    assert request["json"]["model"] == "claude-test"
    assert request["json"]["system"] == "Be brief."
    assert request["json"]["messages"] == MESSAGES
    assert request["json"]["max_tokens"] == 1234
    # The key was sent (anthropic 2.x uses a bearer token), and the fake never stores its value.
    assert request["headers"]["authorization"] == "<redacted>"
    assert request["headers"].get("x-stainless-retry-count", "0") == "0"


def test_it_honours_retry_after_on_429(fake, llm_process):
    client, sleeps = make_client(fake, llm_process)
    fake.script("status:429:retry_after=0.7", "text:ok")
    assert client.complete("s", MESSAGES) == "ok"
    assert sleeps == [pytest.approx(0.7)]
    assert fake.request_count == 2


def test_it_gives_up_at_once_when_retry_after_exceeds_the_backoff_cap(fake, llm_process):
    client, sleeps = make_client(fake, llm_process, backoff_max_seconds=2)
    fake.script("status:429:retry_after=120")
    with pytest.raises(LLMError) as caught:
        client.complete("s", MESSAGES)
    assert caught.value.status == 429 and caught.value.retry_after == 120 and caught.value.retryable
    assert sleeps == [] and fake.request_count == 1


@pytest.mark.parametrize("status", ["status:500", "status:529", "status:503", "status:408", "status:409"])
def test_it_retries_server_errors_and_overload_then_succeeds(fake, llm_process, status):
    client, sleeps = make_client(fake, llm_process)
    fake.script(status, status, "text:ok")
    assert client.complete("s", MESSAGES) == "ok"
    assert fake.request_count == 3
    assert len(sleeps) == 2


def test_backoff_is_jittered_exponential_and_capped(fake, llm_process):
    client, sleeps = make_client(fake, llm_process, max_retries=5, backoff_base_seconds=1, backoff_max_seconds=3)
    fake.script(*["status:500"] * 5, "text:ok")
    client.complete("s", MESSAGES)
    caps = [1, 2, 3, 3, 3]  # base * 2**attempt, capped at backoff_max_seconds
    assert all(0 <= s <= cap for s, cap in zip(sleeps, caps, strict=True))


def test_it_gives_up_after_max_retries_with_the_last_error(fake, llm_process):
    client, _sleeps = make_client(fake, llm_process)
    fake.script("status:529", "status:529", "status:529", "text:never reached")
    with pytest.raises(LLMError, match=r"HTTP 529.*overloaded_error") as caught:
        client.complete("s", MESSAGES)
    assert caught.value.retryable and caught.value.status == 529
    assert fake.request_count == 3  # one call and two retries


def test_a_slow_answer_beyond_the_timeout_fails_after_retries(fake, llm_process):
    client, _sleeps = make_client(fake, llm_process, timeout_seconds=0.2, max_retries=1)
    fake.script("slow:1", "slow:1")
    with pytest.raises(LLMError, match=r"did not answer within 0\.2 s") as caught:
        client.complete("s", MESSAGES)
    assert caught.value.retryable and caught.value.status is None
    assert fake.request_count == 2


def test_a_hanging_server_ends_in_a_timeout_error(fake, llm_process):
    client, _ = make_client(fake, llm_process, timeout_seconds=0.2, max_retries=0)
    fake.script("hang")
    with pytest.raises(LLMError, match="did not answer"):
        client.complete("s", MESSAGES)


def test_a_dropped_connection_is_retried(fake, llm_process):
    client, sleeps = make_client(fake, llm_process)
    fake.script("drop", "text:ok")
    assert client.complete("s", MESSAGES) == "ok"
    assert fake.request_count == 2 and len(sleeps) == 1


def test_a_dropped_connection_every_time_is_a_connection_error(fake, llm_process):
    client, _ = make_client(fake, llm_process, max_retries=1)
    fake.script("drop", "drop")
    with pytest.raises(LLMError, match="connection failed") as caught:
        client.complete("s", MESSAGES)
    assert caught.value.retryable


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(fake, llm_process, status):
    client, sleeps = make_client(fake, llm_process)
    fake.script(f"status:{status}", "text:never reached")
    with pytest.raises(LLMError) as caught:
        client.complete("s", MESSAGES)
    assert not caught.value.retryable and caught.value.status == status
    assert fake.request_count == 1 and sleeps == []


def test_the_breaker_opens_after_failed_calls_and_then_sends_nothing(fake, llm_process):
    client, _ = make_client(
        fake, llm_process, max_retries=0, breaker=CircuitBreaker(failure_threshold=2, reset_seconds=30)
    )
    fake.script("status:500", "status:500")
    for _ in range(2):
        with pytest.raises(LLMError):
            client.complete("s", MESSAGES)
    assert client.breaker.state == "open"
    with pytest.raises(BreakerOpen, match="circuit breaker is open"):
        client.complete("s", MESSAGES)
    assert fake.request_count == 2  # the refused call never reached the server


def test_one_call_with_its_retries_counts_as_one_breaker_failure(fake, llm_process):
    client, _ = make_client(fake, llm_process, max_retries=2)
    fake.script("status:500", "status:500", "status:500")
    with pytest.raises(LLMError):
        client.complete("s", MESSAGES)
    assert client.breaker.snapshot()["consecutive_failures"] == 1


def test_the_breaker_half_opens_after_reset_and_closes_on_success(fake, llm_process):
    clock = FakeClock()
    client, _ = make_client(fake, llm_process, max_retries=0, breaker=CircuitBreaker(1, 10, clock=clock))
    fake.script("status:500")
    with pytest.raises(LLMError):
        client.complete("s", MESSAGES)
    with pytest.raises(BreakerOpen):
        client.complete("s", MESSAGES)
    clock.now += 10
    assert client.breaker.state == "half_open"
    assert client.complete("s", MESSAGES)  # the trial call goes out and succeeds
    assert client.breaker.state == "closed"
    assert fake.request_count == 2


def test_a_failed_trial_reopens_the_breaker(fake, llm_process):
    clock = FakeClock()
    client, _ = make_client(fake, llm_process, max_retries=0, breaker=CircuitBreaker(1, 10, clock=clock))
    fake.script("status:500", "status:529")
    with pytest.raises(LLMError):
        client.complete("s", MESSAGES)
    clock.now += 10
    with pytest.raises(LLMError, match="529"):
        client.complete("s", MESSAGES)
    assert client.breaker.state == "open"
    with pytest.raises(BreakerOpen):
        client.complete("s", MESSAGES)
    assert fake.request_count == 2


def test_stats_and_the_on_call_hook_report_outcomes(fake, llm_process):
    seen = []
    client, _ = make_client(
        fake, llm_process, max_retries=0, on_call=lambda outcome, seconds: seen.append((outcome, seconds))
    )
    fake.script("text:ok", "status:400")
    client.complete("s", MESSAGES)
    with pytest.raises(LLMError):
        client.complete("s", MESSAGES)
    stats = client.stats()
    assert stats["last_success_at"] is not None
    assert "HTTP 400" in stats["last_error"]
    assert stats["error_rate"] == 0.5 and stats["recent_calls"] == 2
    assert stats["breaker"]["state"] == "closed"
    assert [o for o, _ in seen] == ["ok", "error"]
    assert all(s >= 0 for _, s in seen)


def test_a_failing_on_call_hook_does_not_fail_the_call(fake, llm_process):
    def broken(outcome, seconds):
        raise RuntimeError("metrics down")

    client, _ = make_client(fake, llm_process, on_call=broken)
    fake.script("text:ok")
    assert client.complete("s", MESSAGES) == "ok"


def test_the_api_key_never_appears_in_errors_or_stats(fake, llm_process):
    client, _ = make_client(fake, llm_process, max_retries=0)
    fake.script("status:401")
    with pytest.raises(LLMError) as caught:
        client.complete("s", MESSAGES)
    assert "sk-ant-test-key" not in str(caught.value) + repr(caught.value) + str(client.stats())
