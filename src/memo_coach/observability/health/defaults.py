"""The checks observability runs itself; the app's assembly adds the other capabilities' checks."""

from __future__ import annotations

from collections.abc import Callable

from memo_coach.component_status import ComponentStatus
from memo_coach.db.engine import session_scope
from memo_coach.observability.health.analysis import check_analysis
from memo_coach.observability.health.checks import check_auth, check_config, check_database, check_disk
from memo_coach.observability.health.evaluations import check_evaluations
from memo_coach.observability.health.llm import check_llm
from memo_coach.observability.health.registry import Check, HealthContext, HealthRegistry


def build_registry() -> HealthRegistry:
    registry = HealthRegistry()
    registry.register("database", check_database, critical=True)
    registry.register("disk", check_disk, critical=True)
    registry.register("config", check_config, critical=True)
    registry.register("llm", check_llm)
    registry.register("auth", check_auth)
    registry.register("evaluations", check_evaluations)
    registry.register("analysis", check_analysis)
    return registry


def in_session(check: Callable[..., ComponentStatus]) -> Check:
    """Adapts a check written as `f(session, ctx)` to the registry's `f(ctx)`."""

    def run(ctx: HealthContext) -> ComponentStatus:
        with session_scope(ctx.sessions) as session:
            return check(session, ctx)

    return run
