"""The coaching capability's health: the LLM, the analysis process, and evaluations nobody is finishing.

Each takes what it reads as plain arguments, so the health registry (through the assembly) and
`memo-coach doctor` run the same code.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from memo_coach.coaching.jobs import pending_counts
from memo_coach.coaching.llm_probe import FIX_REACH, llm_target, probe_llm
from memo_coach.component_status import DEGRADED, HEALTHY, UNHEALTHY, ComponentStatus
from memo_coach.settings import Settings

if TYPE_CHECKING:
    from memo_coach.coaching.evaluators import EvaluatorChoice
    from memo_coach.config_store.versions import ActiveConfig

PROBE_INTERVAL = timedelta(seconds=60)
PROBE_SECONDS = 3.0  # a probe must not hold `memo-coach health` for a whole LLM timeout
HIGH_ERROR_RATE = 0.5
FIX_STRANDED = "Start the app or `memo-coach worker`: any running process takes stranded evaluations over."


class ProbeMemo:
    """The last probe per target, so probes stay at most one a minute whoever asks (one per runtime)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[Hashable, tuple[datetime, ComponentStatus | None]] = {}

    def probe(self, key: Hashable, now: datetime, probe: Callable[[], ComponentStatus]) -> ComponentStatus | None:
        """The last probe's answer, probing only when it is older than PROBE_INTERVAL; None while the
        first probe of `key` is still under way in another thread."""
        with self._lock:
            last = self._last.get(key)
            if last and now - last[0] < PROBE_INTERVAL:
                return last[1]
            self._last[key] = (now, None)  # claim the slot before the slow call
        result = probe()
        with self._lock:
            self._last[key] = (now, result)
        return result


def llm_health(
    evaluators: EvaluatorChoice | None,
    active: Callable[[], ActiveConfig],
    settings: Settings,
    now: datetime,
    probes: ProbeMemo,
) -> ComponentStatus:
    """Provider, last success, recent error rate and breaker, plus a probe when no real call succeeded
    within the last minute. Never worse than degraded: while the LLM is down, or refuses the key, the
    offline analyzer answers writers."""
    if evaluators is None:
        return ComponentStatus("llm", HEALTHY, "no evaluator in this process")
    config = active()
    evaluators.refresh(config)
    target, _ = llm_target(config.llm, settings)
    client = evaluators.client
    if client is None or target is None:
        return ComponentStatus(
            "llm", HEALTHY, f"offline analyzer only: {evaluators.reason}", details={"provider": "offline"}
        )
    started = time.perf_counter()
    stats = client.stats()
    probe = None
    if not _succeeded_lately(stats, now):
        timeout = min(PROBE_SECONDS, config.llm.timeout_seconds)
        probe = probes.probe(target, now, lambda: probe_llm(target, timeout))
    latency = round((time.perf_counter() - started) * 1000, 2)
    failed = probe if probe is not None and probe.status != HEALTHY else None
    details = dict(stats, probe_error=failed.reason if failed else None)
    status, reason, fix = _judge(stats, failed)
    return ComponentStatus("llm", status, reason, latency, details, fix)


def _succeeded_lately(stats: dict, now: datetime) -> bool:
    last = stats["last_success_at"]
    return last is not None and now - datetime.fromisoformat(last) < PROBE_INTERVAL


def _judge(stats: dict, failed_probe: ComponentStatus | None) -> tuple[str, str, str]:
    """(status, reason, fix)."""
    if stats["breaker"].get("state") == "open":
        return DEGRADED, "the circuit breaker is open; the offline analyzer answers", FIX_REACH
    if failed_probe is not None:
        return DEGRADED, failed_probe.reason, failed_probe.fix
    rate = stats["error_rate"]
    if rate is not None and rate >= HIGH_ERROR_RATE and not _last_call_succeeded(stats):
        return DEGRADED, f"{rate:.0%} of recent calls failed; the last one too: {stats['last_error']}", FIX_REACH
    return HEALTHY, f"{stats['provider']} ({stats['model']}) reachable", ""


def _last_call_succeeded(stats: dict) -> bool:
    """Health recovers on the first good call, not once the window of past failures has rolled over."""
    success, error = stats["last_success_at"], stats["last_error_at"]
    if success is None:
        return False
    return error is None or datetime.fromisoformat(success) >= datetime.fromisoformat(error)


def analysis_health(evaluators: EvaluatorChoice | None) -> ComponentStatus:
    """Degraded while memos are analysed in the server process because the analysis process failed:
    nothing is lost, but the analysis then competes with the web work for one core."""
    state = evaluators.analysis_state() if evaluators is not None else {"processes": 0, "trouble": None}
    if not state["processes"]:
        return ComponentStatus("analysis", HEALTHY, "the offline analyzer runs in this process", details=state)
    if state["trouble"]:
        reason = f"the analysis process failed ({state['trouble']}); memos are analysed in the server meanwhile"
        fix = "see the server's log; a new analysis process is started for the next memo"
        return ComponentStatus("analysis", DEGRADED, reason, details=state, fix=fix)
    return ComponentStatus("analysis", HEALTHY, f"{state['processes']} analysis process(es)", details=state)


def evaluations_health(session: Session, now: datetime, unhealthy_after: timedelta | None = None) -> ComponentStatus:
    """Degraded while evaluations are stranded (writers wait, and nobody is taking their work over);
    unhealthy once the oldest has waited `unhealthy_after`: then no process is running at all."""
    counts = pending_counts(session, now)
    if not counts["stranded"]:
        return ComponentStatus("evaluations", HEALTHY, f"{counts['running']} evaluations running", details=counts)
    oldest = counts["oldest_stranded_seconds"]
    reason = f"{counts['stranded']} pending evaluations have no live owner (the oldest for {_age(oldest)})"
    if unhealthy_after is not None and oldest >= unhealthy_after.total_seconds():
        return ComponentStatus("evaluations", UNHEALTHY, reason, details=counts, fix=FIX_STRANDED)
    reason += "; a takeover normally follows within seconds"
    return ComponentStatus("evaluations", DEGRADED, reason, details=counts, fix=FIX_STRANDED)


def _age(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} minutes"
