"""The checks every replica runs; other concepts add theirs with `registry.register(...)`."""

from __future__ import annotations

from memo_coach.ops.health.checks import check_auth, check_config, check_database, check_disk
from memo_coach.ops.health.llm import check_llm
from memo_coach.ops.health.registry import HealthRegistry


# Shown operators behind /health/{component}; the scheduler and backups join once those concepts land.
def build_registry() -> HealthRegistry:
    registry = HealthRegistry()
    registry.register("database", check_database, critical=True)
    registry.register("disk", check_disk, critical=True)
    registry.register("config", check_config, critical=True)
    registry.register("llm", check_llm)
    registry.register("auth", check_auth)
    return registry
