"""The LLM check: provider, last success, recent error rate and breaker, plus a rare active probe.

The LLM is never critical: while it is down the offline analyzer answers, so the worst it reports is
degraded. The probe runs at most once a minute per process, only when an LLM is configured and no
real call has succeeded within that minute.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

from memo_coach.coaching.llm.errors import LLMError
from memo_coach.component_status import DEGRADED, HEALTHY, ComponentStatus
from memo_coach.db.engine import session_scope
from memo_coach.observability.health.registry import HealthContext
from memo_coach.observability.metrics import LLM_UP

PROBE_INTERVAL = timedelta(seconds=60)
HIGH_ERROR_RATE = 0.5


class ProbeMemo:
    """The last probe per client, so probes stay at most one a minute whoever asks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[int, tuple[datetime, str | None]] = {}

    def probe(self, client, now: datetime) -> tuple[datetime, str | None]:
        """(when, error or None), probing only when the last probe is older than PROBE_INTERVAL."""
        with self._lock:
            last = self._last.get(id(client))
            if last and now - last[0] < PROBE_INTERVAL:
                return last
            self._last[id(client)] = (now, None)  # claim the slot before the slow call
        try:
            client.probe()
            result = (now, None)
        except LLMError as exc:
            result = (now, exc.message)
        with self._lock:
            self._last[id(client)] = result
        return result


PROBES = ProbeMemo()


def check_llm(ctx: HealthContext) -> ComponentStatus:
    evaluators = ctx.evaluators
    if evaluators is None:
        return ComponentStatus("llm", HEALTHY, "no evaluator in this process")
    with session_scope(ctx.sessions) as session:
        evaluators.refresh(ctx.config.current(session))
    client = evaluators.client
    if client is None:
        return ComponentStatus(
            "llm", HEALTHY, f"offline analyzer only: {evaluators.reason}", details={"provider": "offline"}
        )
    started = time.perf_counter()
    stats = client.stats()
    probe_error = _maybe_probe(client, stats, ctx.now)
    latency = round((time.perf_counter() - started) * 1000, 2)
    status, reason = _judge(stats, probe_error)
    LLM_UP.labels(client.provider).set(0 if status == DEGRADED else 1)
    fix = (
        "Check the provider's status and the API key; settings are in config/llm.yaml. Meanwhile the offline"
        " analyzer answers, marked as such."
        if status == DEGRADED
        else ""
    )
    return ComponentStatus("llm", status, reason, latency, dict(stats, probe_error=probe_error), fix)


def _maybe_probe(client, stats: dict, now: datetime) -> str | None:
    last_success = stats["last_success_at"]
    if last_success and now - datetime.fromisoformat(last_success) < PROBE_INTERVAL:
        return None
    return PROBES.probe(client, now)[1]


def _judge(stats: dict, probe_error: str | None) -> tuple[str, str]:
    breaker = stats["breaker"].get("state")
    if breaker == "open":
        return DEGRADED, "the circuit breaker is open; the offline analyzer answers"
    if probe_error:
        return DEGRADED, f"the probe failed: {probe_error}"
    rate = stats["error_rate"]
    if rate is not None and rate >= HIGH_ERROR_RATE and not _last_call_succeeded(stats):
        return DEGRADED, f"{rate:.0%} of recent calls failed; the last one too: {stats['last_error']}"
    return HEALTHY, f"{stats['provider']} ({stats['model']}) reachable"


def _last_call_succeeded(stats: dict) -> bool:
    """Health recovers on the first good call, not once the window of past failures has rolled over."""
    success, error = stats["last_success_at"], stats["last_error_at"]
    if success is None:
        return False
    return error is None or datetime.fromisoformat(success) >= datetime.fromisoformat(error)
