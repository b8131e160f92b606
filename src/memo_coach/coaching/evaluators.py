"""Chooses who evaluates: the configured LLM while it is reachable, the offline analyzer otherwise."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from memo_coach.coaching.llm.breaker import CircuitBreaker
from memo_coach.coaching.llm.errors import LLMError
from memo_coach.coaching.llm.factory import build_client, choose_provider
from memo_coach.coaching.llm.sdk_process import SDKProcess
from memo_coach.coaching.llm_hosts import allowed_hosts
from memo_coach.coaching.result import Evaluated, Evaluator
from memo_coach.config_store.versions import ActiveConfig
from memo_coach.settings import Settings

if TYPE_CHECKING:
    from memo_coach.coaching.llm.evaluator import LLMEvaluator
    from memo_coach.coaching.offline.analyzer import OfflineEvaluator

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    evaluated: Evaluated
    degraded_reason: str | None  # set when the LLM should have answered but the offline analyzer did


def _secret(value) -> str | None:
    return value.get_secret_value() if value else None


class EvaluatorChoice:
    """One per process; rebuilds the LLM client when the active llm.yaml version changes. Owns the
    processes it evaluates with (the LLM process, and `offline` when that is a child process): close()
    ends them."""

    def __init__(
        self,
        settings: Settings,
        on_llm_call: Callable[[str], Callable[[str, float], None]] | None = None,
        offline: Evaluator | None = None,
        *,
        offline_now: bool = True,
        llm_process: SDKProcess | None = None,
    ) -> None:
        """`on_llm_call(provider)` makes the hook each client reports its calls to (metrics); None: no hook.

        `offline` answers when no LLM does; the web server's runs in a child process (see
        offline/process.py). Without it the analyzer runs in this process, and `offline_now` builds it at
        once, which starts loading its pronouncing dictionary in a thread (see OfflineEvaluator): right
        for the worker, which is ready meanwhile. A command passes False: `health` never needs the
        analyzer, and `evaluate` needs it only once its database work is done, which the loading thread
        would slow (the threads share one interpreter lock).

        `llm_process` makes the LLM calls; without one, one of its own starts on the first call."""
        self._settings = settings
        self.llm_process = llm_process if llm_process is not None else SDKProcess()
        self._on_llm_call = on_llm_call
        self._lock = threading.Lock()
        self._built_for: int | None = None
        self._llm: LLMEvaluator | None = None
        self.client = None
        self.reason = "not configured yet"
        if offline is not None:
            self.offline = offline  # takes the place of the property below
        elif offline_now:
            _ = self.offline

    def analysis_state(self) -> dict:
        """Where offline analyses run, without building the analyzer (the health check asks): the web
        server's child processes (see offline/process.py), or this process."""
        state = getattr(self.__dict__.get("offline"), "state", None)
        return state() if state else {"processes": 0, "trouble": None}

    @cached_property
    def offline(self) -> OfflineEvaluator:
        from memo_coach.coaching.offline.analyzer import OfflineEvaluator

        return OfflineEvaluator()

    def refresh(self, config: ActiveConfig) -> None:
        """Builds the client for the active llm.yaml version (health checks call it before any evaluation)."""
        version = config.version_ids.get("llm")
        with self._lock:
            if version == self._built_for:
                return
            llm = config.llm
            breaker = CircuitBreaker(llm.breaker.failure_threshold, llm.breaker.reset_seconds)
            keys = _secret(self._settings.anthropic_api_key), _secret(self._settings.openai_api_key)
            allowed = allowed_hosts(self._settings.llm_allowed_hosts)
            provider, _ = choose_provider(llm, *keys, allowed)
            hooks = {"on_call": self._on_llm_call(provider)} if self._on_llm_call else {}
            choice = build_client(llm, *keys, breaker, process=self.llm_process, allowed_hosts=allowed, **hooks)
            self.client, self.reason = choice.client, choice.reason
            self._llm = _llm_evaluator(choice.client) if choice.client else None
            self._built_for = version

    def llm_client(self, config: ActiveConfig):
        """The LLM client for `config`, or None when the offline analyzer is the choice; for the chat."""
        self.refresh(config)
        return self.client

    def evaluate(
        self, memo: str, config: ActiveConfig, deadline: float | None = None, skip_llm: str | None = None
    ) -> Outcome:
        """The LLM's evaluation, or the offline analyzer's marked degraded: when the LLM fails in any
        way, when `deadline` (time.monotonic()) has passed, or when `skip_llm` gives a reason."""
        self.refresh(config)
        if self._llm is None:
            return Outcome(self.offline.evaluate(memo, config.rubric, config.prompt), None)
        if skip_llm is None and deadline is not None and deadline <= time.monotonic():
            skip_llm = "the evaluation's deadline had passed"
        if skip_llm is not None:
            return self._offline(memo, config, f"{skip_llm}; the offline analyzer answered")
        from memo_coach.coaching.prompt import PromptTemplateError  # loaded with the LLM evaluator

        try:
            return Outcome(self._llm.evaluate(memo, config.rubric, config.prompt, deadline), None)
        except (LLMError, PromptTemplateError) as exc:
            return self._offline(
                memo, config, f"the language model was unavailable ({exc}); the offline analyzer answered"
            )
        except Exception as exc:  # an SDK or parsing fault we did not foresee: writers still get an answer
            log.exception("unexpected error from the language model path")
            reason = (
                f"the language model path failed unexpectedly ({type(exc).__name__}); the offline analyzer answered"
            )
            return self._offline(memo, config, reason)

    def close(self) -> None:
        self.llm_process.close()
        close_offline = getattr(self.__dict__.get("offline"), "close", None)
        if close_offline is not None:
            close_offline()

    def _offline(self, memo: str, config: ActiveConfig, reason: str) -> Outcome:
        return Outcome(self.offline.evaluate(memo, config.rubric, config.prompt), reason[:500])


def _llm_evaluator(client) -> LLMEvaluator:
    """Imported only once an LLM is configured: its prompt templates bring Jinja, which a process that
    answers offline, or only checks health, never needs."""
    from memo_coach.coaching.llm.evaluator import LLMEvaluator

    return LLMEvaluator(client)
