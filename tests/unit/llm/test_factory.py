"""Choosing the provider from the configuration and the keys present."""

import pytest

from memo_coach.coaching.config_schemas import LLMConfig, ProviderSettings
from memo_coach.coaching.llm.breaker import CircuitBreaker
from memo_coach.coaching.llm.factory import build_client
from memo_coach.coaching.llm.sdk_process import SDKProcess
from memo_coach.coaching.llm_hosts import allowed_hosts

LOCAL = ProviderSettings(model="llama3", base_url="http://127.0.0.1:11434/v1")
NEVER_STARTED = SDKProcess()  # nothing here calls a model, so its child never starts
ALLOWED = allowed_hosts("")


@pytest.mark.parametrize(
    ("config", "anthropic_key", "openai_key", "provider", "reason"),
    [
        (LLMConfig(), "a-key", "o-key", "anthropic", "auto: ANTHROPIC_API_KEY is set"),
        (LLMConfig(), None, "o-key", "openai", "auto: OPENAI_API_KEY is set"),
        (LLMConfig(), None, None, "offline", "auto: no ANTHROPIC_API_KEY or OPENAI_API_KEY"),
        (LLMConfig(openai=LOCAL), None, None, "openai", "auto: an OpenAI-compatible base_url"),
        (LLMConfig(provider="anthropic"), None, "o-key", "offline", "ANTHROPIC_API_KEY is not set"),
        (LLMConfig(provider="anthropic"), "a-key", None, "anthropic", "provider is set to anthropic"),
        (LLMConfig(provider="openai"), "a-key", "o-key", "openai", "provider is set to openai"),
        (LLMConfig(provider="openai", openai=LOCAL), None, None, "openai", "at http://127.0.0.1:11434/v1"),
        (LLMConfig(provider="openai"), "a-key", None, "offline", "OPENAI_API_KEY is not set"),
        (LLMConfig(provider="offline"), "a-key", "o-key", "offline", "provider is set to offline"),
    ],
)
def test_it_chooses_the_provider_and_says_why(config, anthropic_key, openai_key, provider, reason):
    choice = build_client(config, anthropic_key, openai_key, process=NEVER_STARTED, allowed_hosts=ALLOWED)
    assert choice.provider == provider
    assert reason in choice.reason
    assert (choice.client is None) == (provider == "offline")


def test_a_stored_base_url_the_environment_does_not_allow_gets_no_key_and_no_memo():
    """A base_url validated before the allow-list existed, or one the operator has since taken off it."""
    elsewhere = LLMConfig(provider="openai", openai=ProviderSettings(model="m", base_url="https://llm.example.net/v1"))
    refused = build_client(elsewhere, None, "o-key", process=NEVER_STARTED, allowed_hosts=ALLOWED)
    assert refused.client is None and "llm.example.net" in refused.reason and "refused" in refused.reason
    allowed = build_client(
        elsewhere, None, "o-key", process=NEVER_STARTED, allowed_hosts=allowed_hosts("llm.example.net")
    )
    assert allowed.provider == "openai"


def test_the_reason_never_contains_a_key():
    choice = build_client(LLMConfig(), "sk-ant-secret", None, process=NEVER_STARTED, allowed_hosts=ALLOWED)
    assert "sk-ant-secret" not in choice.reason


def test_it_uses_the_model_and_breaker_from_the_config():
    config = LLMConfig(provider="openai", openai=LOCAL, breaker={"failure_threshold": 7, "reset_seconds": 12})
    client = build_client(config, None, None, process=NEVER_STARTED, allowed_hosts=ALLOWED).client
    assert client.model == "llama3"
    assert client.breaker.failure_threshold == 7 and client.breaker.reset_seconds == 12


def test_it_keeps_a_given_breaker_so_it_survives_a_config_reload():
    breaker = CircuitBreaker(2, 5)
    assert (
        build_client(
            LLMConfig(), "a-key", None, breaker=breaker, process=NEVER_STARTED, allowed_hosts=ALLOWED
        ).client.breaker
        is breaker
    )


def test_one_client_serves_every_call_until_the_llm_configuration_changes(tmp_path):
    from memo_coach.coaching.evaluators import EvaluatorChoice
    from memo_coach.config_store.versions import ActiveConfig
    from memo_coach.settings import Settings

    choice = EvaluatorChoice(Settings(data_dir=tmp_path, config_dir=tmp_path))
    config = LLMConfig(provider="openai", openai=LOCAL)
    choice.refresh(ActiveConfig({"llm": config}, {"llm": 1}))
    first = choice.client
    assert choice.llm_client(ActiveConfig({"llm": config}, {"llm": 1})) is first
    choice.refresh(ActiveConfig({"llm": LLMConfig(provider="openai", openai=LOCAL)}, {"llm": 2}))
    assert choice.client is not first


def test_every_client_of_an_evaluator_choice_calls_through_the_llm_process_it_was_given(tmp_path):
    from memo_coach.coaching.evaluators import EvaluatorChoice
    from memo_coach.config_store.versions import ActiveConfig
    from memo_coach.settings import Settings

    settings = Settings(data_dir=tmp_path, config_dir=tmp_path)
    choice = EvaluatorChoice(settings, offline_now=False, llm_process=NEVER_STARTED)
    choice.refresh(ActiveConfig({"llm": LLMConfig(provider="openai", openai=LOCAL)}, {"llm": 1}))
    assert choice.llm_process is NEVER_STARTED and choice.client._process is NEVER_STARTED
    assert EvaluatorChoice(settings, offline_now=False).llm_process is not NEVER_STARTED


def test_the_llm_process_keeps_one_sdk_client_and_its_connection_pool_per_provider_key_and_url():
    from memo_coach.coaching.llm.sdk_child import CLIENTS_KEPT, _Clients

    clients = _Clients()
    spec = {"provider": "openai", "api_key": "k", "base_url": "http://127.0.0.1:9/v1"}
    first = clients.get(spec)[1]
    assert clients.get(dict(spec))[1] is first
    assert clients.get({**spec, "api_key": "other"})[1] is not first
    for n in range(CLIENTS_KEPT):
        clients.get({**spec, "base_url": f"http://127.0.0.1:{n + 10}/v1"})
    assert len(clients._clients) <= CLIENTS_KEPT
