"""The checks every replica runs; other concepts add theirs with `registry.register(...)`."""

from __future__ import annotations

from collections.abc import Callable

from memo_coach.config_store.drift import DriftWatcher, config_health
from memo_coach.db.engine import session_scope
from memo_coach.ops.backups.health import backup_health
from memo_coach.ops.components import ComponentStatus
from memo_coach.ops.health.checks import check_auth, check_config, check_database, check_disk
from memo_coach.ops.health.llm import check_llm
from memo_coach.ops.health.registry import Check, HealthContext, HealthRegistry
from memo_coach.ops.scheduler.health import scheduler_health


def build_registry() -> HealthRegistry:
    registry = HealthRegistry()
    registry.register("database", check_database, critical=True)
    registry.register("disk", check_disk, critical=True)
    registry.register("config", check_config, critical=True)
    registry.register("llm", check_llm)
    registry.register("auth", check_auth)
    # Not critical: an overdue task, a failed backup check or a refused edit on disk needs an operator,
    # but the replica still serves writers correctly.
    registry.register("scheduler", in_session(lambda s, ctx: scheduler_health(s, ctx.now)))
    registry.register("backups", in_session(lambda s, ctx: backup_health(s)))
    return registry


def in_session(check: Callable[..., ComponentStatus]) -> Check:
    """Adapts a check written as `f(session, ctx)` to the registry's `f(ctx)`."""

    def run(ctx: HealthContext) -> ComponentStatus:
        with session_scope(ctx.sessions) as session:
            return check(session, ctx)

    return run


def register_config_files(registry: HealthRegistry, watcher: DriftWatcher | None) -> None:
    """The drift watcher's view of config/ on this replica's disk (the active versions are `config`)."""
    registry.register("config_files", lambda ctx: config_health(watcher))
