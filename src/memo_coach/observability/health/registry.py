"""Health checks registered by name, each critical or not; the assembly registers every capability's.

A check is `f(ctx) -> ComponentStatus`. A capability writes its own as a plain function of what it
reads (a session, the time, its own objects), so `memo-coach doctor` can call it too; the assembly
adapts it to a check with a lambda over the context, or `in_session`.

A critical check that is unhealthy makes the replica not ready (503 on /health/ready); a non-critical
one (the LLM: the offline analyzer answers instead) only makes the detailed status degraded or worse.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.coaching.health import ProbeMemo
from memo_coach.component_status import UNHEALTHY, ComponentStatus, worst
from memo_coach.config_store.versions import ActiveConfig, ConfigCache
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.observability.metrics import observe_health
from memo_coach.settings import Settings

if TYPE_CHECKING:
    from memo_coach.coaching.evaluators import EvaluatorChoice


def replica_id() -> str:
    """Host and process: each replica samples and probes under its own name."""
    return f"{socket.gethostname()}-{os.getpid()}"[:80]


@dataclass
class HealthContext:
    """What a check may look at."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    evaluators: EvaluatorChoice | None = None  # None where no coach runs (e.g. some CLI calls)
    replica: str = field(default_factory=replica_id)
    config: ConfigCache = field(default_factory=ConfigCache)  # the app passes the coach's, parsed once
    probes: ProbeMemo = field(default_factory=ProbeMemo)  # the runtime passes its own: one probe a minute
    now: datetime = field(default_factory=utcnow)

    def active_config(self) -> ActiveConfig:
        """Read in a session of its own, closed before a check's slow call (an LLM probe)."""
        with session_scope(self.sessions) as session:
            return self.config.current(session)


Check = Callable[[HealthContext], ComponentStatus]


def in_session(check: Callable[[Session, HealthContext], ComponentStatus]) -> Check:
    """Adapts `f(session, ctx)` to a check; the session closes when the check returns."""

    def run(ctx: HealthContext) -> ComponentStatus:
        with session_scope(ctx.sessions) as session:
            return check(session, ctx)

    return run


@dataclass(frozen=True)
class RegisteredCheck:
    name: str
    check: Check
    critical: bool


class HealthRegistry:
    """The checks in the order they were registered."""

    def __init__(self) -> None:
        self._checks: dict[str, RegisteredCheck] = {}

    def register(self, name: str, check: Check, *, critical: bool = False) -> None:
        self._checks[name] = RegisteredCheck(name, check, critical)

    def names(self) -> list[str]:
        return list(self._checks)

    def is_critical(self, name: str) -> bool:
        return self._checks[name].critical

    def run_one(self, ctx: HealthContext, name: str) -> ComponentStatus:
        entry = self._checks[name]
        started = time.perf_counter()
        try:
            result = entry.check(ctx)
        except Exception as exc:  # a broken check reports itself instead of breaking the health page
            result = ComponentStatus(
                name,
                UNHEALTHY,
                f"the check failed: {type(exc).__name__}: {exc}"[:300],
                fix="The check itself raised: the log (data/logs/app.log) has the traceback.",
            )
        latency = round((time.perf_counter() - started) * 1000, 2)
        result = replace(result, name=name, latency_ms=result.latency_ms or latency)
        observe_health(name, result.status, result.latency_ms)
        return result

    def report(self, ctx: HealthContext, *, critical_only: bool = False) -> dict[str, Any]:
        """{"status", "checked_at", "components": [...]}; status is the worst of the components run."""
        entries = [e for e in self._checks.values() if e.critical or not critical_only]
        results = [self.run_one(ctx, e.name) for e in entries]
        return {
            "status": worst([r.status for r in results]),
            # Only a critical component that is unhealthy takes the replica out of service.
            "serving": not any(e.critical and r.status == UNHEALTHY for r, e in zip(results, entries, strict=True)),
            "checked_at": ctx.now.isoformat(),
            "components": [dict(r.to_dict(), critical=e.critical) for r, e in zip(results, entries, strict=True)],
        }
