"""Choosing the LLM client from the configuration and the API keys present, with the reason in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from memo_coach.coaching.config_schemas import LLMConfig
from memo_coach.coaching.llm.breaker import CircuitBreaker
from memo_coach.coaching.llm.client import LLMClient
from memo_coach.coaching.llm_hosts import refusal

if TYPE_CHECKING:
    from memo_coach.coaching.llm.sdk_process import SDKProcess


@dataclass(frozen=True)
class ClientChoice:
    """The client to use (None: answer with the offline analyzer) and why, for logs and the health page."""

    client: LLMClient | None
    reason: str

    @property
    def provider(self) -> str:
        return self.client.provider if self.client else "offline"


def build_client(
    config: LLMConfig,
    anthropic_key: str | None,
    openai_key: str | None,
    breaker: CircuitBreaker | None = None,
    *,
    process: SDKProcess,
    allowed_hosts: frozenset[str],
    **client_options,
) -> ClientChoice:
    """The client `config.provider` asks for, given the keys, calling through `process`; extra options
    (sleep, on_call, json_mode) pass through."""
    breaker = breaker or CircuitBreaker(config.breaker.failure_threshold, config.breaker.reset_seconds)
    provider, reason = choose_provider(config, anthropic_key, openai_key, allowed_hosts)
    if provider == "anthropic":
        client = LLMClient(
            "anthropic", config.anthropic, config, anthropic_key, breaker, process=process, **client_options
        )
    elif provider == "openai":
        client = LLMClient("openai", config.openai, config, openai_key, breaker, process=process, **client_options)
    else:
        client = None
    return ClientChoice(client, reason)


def choose_provider(
    config: LLMConfig, anthropic_key: str | None, openai_key: str | None, allowed_hosts: frozenset[str]
) -> tuple[str, str]:
    """(provider, reason): anthropic, openai or offline.

    The destination is checked here too, where a call is decided, not only when llm.yaml is changed: a
    base_url stored before the allow-list existed, or no longer allowed after it was narrowed, must not
    receive a key or a memo."""
    provider, reason = _by_configuration(config, anthropic_key, openai_key)
    base_url = getattr(config, provider).base_url if provider != "offline" else None
    if base_url and (why := refusal(base_url, allowed_hosts)):
        return "offline", f"{provider}'s base_url is refused: {why}"
    return provider, reason


def _by_configuration(config: LLMConfig, anthropic_key: str | None, openai_key: str | None) -> tuple[str, str]:
    local_openai = bool(config.openai.base_url)
    if config.provider == "offline":
        return "offline", "provider is set to offline"
    if config.provider == "anthropic":
        if anthropic_key:
            return "anthropic", f"provider is set to anthropic (model {config.anthropic.model})"
        return "offline", "provider is set to anthropic but ANTHROPIC_API_KEY is not set"
    if config.provider == "openai":
        if openai_key or local_openai:
            return "openai", f"provider is set to openai (model {config.openai.model}{_at(config)})"
        return "offline", "provider is set to openai but OPENAI_API_KEY is not set and no base_url is configured"
    if anthropic_key:
        return "anthropic", f"auto: ANTHROPIC_API_KEY is set (model {config.anthropic.model})"
    if openai_key:
        return "openai", f"auto: OPENAI_API_KEY is set (model {config.openai.model}{_at(config)})"
    if local_openai:
        return "openai", f"auto: an OpenAI-compatible base_url is configured (model {config.openai.model}{_at(config)})"
    return "offline", "auto: no ANTHROPIC_API_KEY or OPENAI_API_KEY is set"


def _at(config: LLMConfig) -> str:
    return f" at {config.openai.base_url}" if config.openai.base_url else ""
