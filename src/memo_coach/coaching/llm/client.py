"""One LLM provider behind the official SDK, with our own retries, backoff and circuit breaker."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from memo_coach.coaching.llm.errors import BreakerOpen, InvalidAnswer, LLMError

if TYPE_CHECKING:
    from memo_coach.coaching.config_schemas import LLMConfig, ProviderSettings
    from memo_coach.coaching.llm.breaker import CircuitBreaker
    from memo_coach.coaching.llm.sdk_process import SDKProcess

log = logging.getLogger(__name__)

Provider = Literal["anthropic", "openai"]
WINDOW_SIZE = 20
NO_KEY_PLACEHOLDER = "not-needed"  # OpenAI-compatible local servers (vLLM, Ollama, llama.cpp) ignore the key


class LLMClient:
    """Sends one conversation to one provider and returns the answer text, or raises LLMError.

    A logical call is retried on 408/409/429/5xx/529, connection errors and timeouts, with exponential
    backoff and full jitter, honouring the server's retry-after. After its retries it counts as one
    success or one failure for the circuit breaker; while the breaker is open, calls raise BreakerOpen
    without touching the network.
    """

    def __init__(
        self,
        provider: Provider,
        settings: ProviderSettings,
        config: LLMConfig,
        api_key: str | None,
        breaker: CircuitBreaker,
        sleep: Callable[[float], None] = time.sleep,
        on_call: Callable[[str, float], None] | None = None,
        json_mode: bool = False,
        *,
        process: SDKProcess,
    ) -> None:
        """`process` makes the calls (see sdk_process.py); its owner, not the client, closes it."""
        if provider not in ("anthropic", "openai"):
            raise ValueError(f"unknown LLM provider {provider!r}")
        self.provider: str = provider
        self.model: str = settings.model
        self.base_url = settings.base_url
        self.config = config
        self.breaker = breaker
        self._sleep = sleep
        self._on_call = on_call
        # response_format=json_object is not supported by every OpenAI-compatible server: opt-in only.
        self._json_mode = json_mode
        self._spec = _client_spec(provider, settings, api_key)
        self._process = process
        self._lock = threading.Lock()
        self._outcomes: deque[bool] = deque(maxlen=WINDOW_SIZE)
        self.last_success_at: datetime | None = None
        self.last_error: str | None = None
        self.last_error_at: datetime | None = None

    def complete(
        self,
        system: str,
        messages: list[dict],
        *,
        deadline: float | None = None,
        parse: Callable[[str], Any] | None = None,
    ) -> Any:
        """The model's answer text to `messages` (role/content dicts) under the `system` prompt, or
        `parse(text)` when given. `deadline` (time.monotonic()) bounds every attempt and every wait.

        A call succeeds only when the answer is usable: InvalidAnswer from `parse` counts as a failure
        (breaker, stats, metrics) and is raised with the answer attached, for a repair."""
        started = time.monotonic()
        if not self.breaker.allow():
            self._report("breaker_open", started)
            raise BreakerOpen(self.provider, self.breaker.retry_in())
        text = ""
        try:
            text = self._call_with_retries(system, messages, deadline)
            result = parse(text) if parse else text
        except LLMError as e:
            self._failed(e.message, "error", started)
            raise
        except InvalidAnswer as e:
            e.answer = text
            self._failed(f"{self.provider} answered unusable content: {e}", "unusable", started)
            raise
        except BaseException:
            # Anything unexpected still ends the breaker's trial call, or half_open would wait forever.
            self.breaker.record_failure()
            raise
        self.breaker.record_success()
        self._record(ok=True)
        self._report("ok", started)
        return result

    def _failed(self, message: str, outcome: str, started: float) -> None:
        self.breaker.record_failure()
        self._record(ok=False, error=message)
        self._report(outcome, started)

    def stats(self) -> dict:
        """Recent health for checks and pages: last success, last error, error rate over the window, breaker."""
        with self._lock:
            outcomes = list(self._outcomes)
            return {
                "provider": self.provider,
                "model": self.model,
                "last_success_at": _iso(self.last_success_at),
                "last_error": self.last_error,
                "last_error_at": _iso(self.last_error_at),
                "recent_calls": len(outcomes),
                "error_rate": round(outcomes.count(False) / len(outcomes), 3) if outcomes else None,
                "breaker": self.breaker.snapshot(),
            }

    @property
    def error_rate(self) -> float | None:
        return self.stats()["error_rate"]

    def _call_with_retries(self, system: str, messages: list[dict], deadline: float | None) -> str:
        attempt = 0
        while True:
            timeout = self._attempt_timeout(deadline)
            try:
                return self._send(system, messages, timeout)
            except LLMError as e:
                delay = self._retry_delay(e, attempt)
                if delay is None or (deadline is not None and time.monotonic() + delay >= deadline):
                    raise
                attempt += 1
                log.warning(
                    "llm call failed, retrying",
                    extra={"provider": self.provider, "attempt": attempt, "status": e.status, "delay": delay},
                )
                self._sleep(delay)

    def _attempt_timeout(self, deadline: float | None) -> float:
        """This attempt's timeout: the configured one, cut to what is left before the deadline."""
        if deadline is None:
            return self.config.timeout_seconds
        left = deadline - time.monotonic()
        if left <= 0:
            raise LLMError(f"{self.provider} gave no usable answer within the evaluation's deadline")
        return min(self.config.timeout_seconds, left)

    def _retry_delay(self, error: LLMError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None to give up."""
        if not error.retryable or attempt >= self.config.max_retries:
            return None
        cap = self.config.backoff_max_seconds
        if error.retry_after is not None:
            # Waiting less than the server asked would only earn another 429; waiting longer than our
            # own backoff cap would hold a writer's request too long. Beyond the cap, give up now.
            return max(0.0, error.retry_after) if error.retry_after <= max(cap, 1.0) else None
        return random.uniform(0, min(cap, self.config.backoff_base_seconds * 2**attempt))

    def _send(self, system: str, messages: list[dict], timeout: float) -> str:
        """One attempt, made by the LLM process (see sdk_process.py)."""
        call = {"model": self.model, "max_tokens": self.config.max_tokens}
        if self.provider == "anthropic":
            # No temperature: the anthropic 2.x Messages API has dropped the parameter.
            call |= {"system": system, "messages": messages}
        else:
            call |= {"messages": [{"role": "system", "content": system}, *messages]}
            call["temperature"] = self.config.temperature
            if self._json_mode:
                call["response_format"] = {"type": "json_object"}
        cut = " (what was left of the evaluation's deadline)" if timeout < self.config.timeout_seconds else ""
        return self._process.call("send", self._spec, timeout, call, timeout_note=cut)

    def _record(self, ok: bool, error: str | None = None) -> None:
        now = datetime.now(UTC)
        with self._lock:
            self._outcomes.append(ok)
            if ok:
                self.last_success_at = now
            else:
                self.last_error, self.last_error_at = error, now

    def _report(self, outcome: str, started: float) -> None:
        if self._on_call is None:
            return
        try:
            self._on_call(outcome, time.monotonic() - started)
        except Exception:  # a broken metrics hook must never fail an evaluation
            log.exception("llm on_call hook failed")


def _client_spec(provider: str, settings: ProviderSettings, api_key: str | None) -> dict:
    """Who the LLM process calls: the provider, the key and the base URL."""
    if provider == "anthropic" and not api_key:
        raise ValueError("the anthropic provider needs an API key")
    if provider == "openai" and not api_key and not settings.base_url:
        raise ValueError("the openai provider needs an API key or a base_url of a compatible server")
    return {"provider": provider, "api_key": api_key or NO_KEY_PLACEHOLDER, "base_url": settings.base_url}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
