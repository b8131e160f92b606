"""The one place that knows every capability's registrations, so that no capability has to know another.

`assemble()` (the runtime calls it first) collects every capability's tables on one metadata (for
Alembic and the schema test), registers the configuration kinds each capability owns, and imports the
task catalogues: code that registers code, the same in every runtime of a process. `health_registry`
adds every capability's health checks to observability's registry, one registry per runtime.
"""

from __future__ import annotations

from functools import cache

from memo_coach.audit import models as audit_models
from memo_coach.auth import config as auth_config
from memo_coach.auth import models as auth_models
from memo_coach.auth.health import sessions_health
from memo_coach.coaching import config_kinds as coaching_config
from memo_coach.coaching import models as coaching_models
from memo_coach.coaching.health import analysis_health, evaluations_health, llm_health
from memo_coach.config_store import models as config_models
from memo_coach.config_store.drift import DriftWatcher, config_health
from memo_coach.config_store.health import active_versions_health
from memo_coach.db.base import Base
from memo_coach.incidents import config_kind as incidents_config
from memo_coach.incidents import models as incidents_models
from memo_coach.maintenance import config as maintenance_config
from memo_coach.maintenance import tasks as maintenance_tasks
from memo_coach.maintenance.backups import models as backup_models
from memo_coach.maintenance.backups.health import backup_health
from memo_coach.maintenance.mode import models as mode_models
from memo_coach.maintenance.scheduler import models as scheduler_models
from memo_coach.maintenance.scheduler.health import scheduler_health
from memo_coach.maintenance.upkeep import models as upkeep_models
from memo_coach.observability.feedback import models as feedback_models
from memo_coach.observability.health import models as health_models
from memo_coach.observability.health.checks import check_database, check_disk, llm_up
from memo_coach.observability.health.registry import HealthRegistry, in_session
from memo_coach.observability.history import models as history_models
from memo_coach.security import models as security_models
from memo_coach.security import tasks as security_tasks
from memo_coach.support import config as support_config
from memo_coach.support import models as support_models
from memo_coach.support import tasks as support_tasks
from memo_coach.support.tickets import privacy as ticket_privacy

# Every module that defines tables; importing them puts each table on Base.metadata.
MODEL_MODULES = (
    audit_models,
    auth_models,
    coaching_models,
    config_models,
    backup_models,
    mode_models,
    scheduler_models,
    upkeep_models,
    feedback_models,
    health_models,
    history_models,
    security_models,
    incidents_models,
    support_models,
)
# Importing a catalogue registers its tasks with the scheduler.
TASK_CATALOGUES = (maintenance_tasks, security_tasks, support_tasks)


@cache
def assemble() -> type[Base]:
    """Registers every capability's configuration kinds, in dependency order, and the writers' data that
    privacy exports and erases beyond its own tables; returns the models' base."""
    coaching_config.register()
    auth_config.register()
    maintenance_config.register()
    incidents_config.register()
    support_config.register()
    ticket_privacy.register()
    return Base


def health_registry(watcher: DriftWatcher | None = None) -> HealthRegistry:
    """Every capability's checks, each written in its own package, in the order reports list them."""
    registry = HealthRegistry()
    # Critical: without a writable database and disk and a configuration that parses, no request is served.
    registry.register("database", check_database, critical=True)
    registry.register("disk", check_disk, critical=True)
    registry.register("config", in_session(lambda s, ctx: active_versions_health(s)), critical=True)
    # Not critical: the offline analyzer answers for the LLM, and an overdue task, a failed backup check
    # or a refused edit on disk needs an operator, but the replica still serves writers correctly.
    registry.register(
        "llm", lambda ctx: llm_up(llm_health(ctx.evaluators, ctx.active_config, ctx.settings, ctx.now, ctx.probes))
    )
    registry.register("auth", in_session(lambda s, ctx: sessions_health(s, ctx.now)))
    registry.register("evaluations", in_session(lambda s, ctx: evaluations_health(s, ctx.now)))
    registry.register("analysis", lambda ctx: analysis_health(ctx.evaluators))
    registry.register("scheduler", in_session(lambda s, ctx: scheduler_health(s, ctx.now)))
    registry.register("backups", in_session(lambda s, ctx: backup_health(s)))
    registry.register("config_files", lambda ctx: config_health(watcher))
    return registry
