"""Schemas of the coach's prompt.yaml and llm.yaml (the rubric's is in rubric.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from memo_coach.coaching.localized import Localized
from memo_coach.config_store.kinds import Strict

# Prompt templates are given in every language the coach speaks; a memo gets its own language's.


class EvaluationPrompts(Strict):
    system: Localized = Field(description="Jinja2; gets rubric")
    user: Localized = Field(description="Jinja2; gets memo, rubric, schema")
    repair: Localized = Field(description="Jinja2; gets error and previous answer")


class ChatPrompts(Strict):
    system: Localized = Field(description="Jinja2; gets memo, versions, rubric, evaluation")


class PromptConfig(Strict):
    evaluation: EvaluationPrompts
    chat: ChatPrompts


class ProviderSettings(Strict):
    model: str = Field(min_length=1, description="model name sent to the provider")
    base_url: str | None = Field(None, description="another server speaking the same API; null for the provider's own")


class BreakerConfig(Strict):
    failure_threshold: int = Field(default=5, ge=1, description="failed calls in a row that open the circuit breaker")
    reset_seconds: float = Field(default=30, gt=0, description="how long the breaker stays open before one trial call")


class LLMConfig(Strict):
    provider: Literal["auto", "anthropic", "openai", "offline"] = Field(
        "auto", description="auto: anthropic if its key is set, else openai if its key or base_url is set, else offline"
    )
    anthropic: ProviderSettings = ProviderSettings(model="claude-sonnet-4-5")
    openai: ProviderSettings = ProviderSettings(model="gpt-4o-mini")
    timeout_seconds: float = Field(default=30, gt=0, description="one LLM call's time limit")
    max_retries: int = Field(default=2, ge=0, le=10, description="retries after a failed call, with backoff")
    backoff_base_seconds: float = Field(default=0.5, ge=0, description="first retry delay; doubles each retry")
    backoff_max_seconds: float = Field(default=8, ge=0, description="longest retry delay")
    max_tokens: int = Field(default=4000, ge=256, description="longest answer the model may give")
    temperature: float = Field(default=0.2, ge=0, le=2, description="sampling temperature; low keeps scores steady")
    breaker: BreakerConfig = BreakerConfig()
