"""One per app: the health registry, the metric sampler and the context their checks run in."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.config_store.versions import ConfigCache
from memo_coach.ops.health.defaults import build_registry
from memo_coach.ops.health.registry import HealthContext, replica_id
from memo_coach.ops.history.sampler import Sampler
from memo_coach.settings import Settings


class Observability:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        sessions: sessionmaker[Session],
        evaluators=None,
        config: ConfigCache | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.sessions = sessions
        self.evaluators = evaluators
        self.config = config or ConfigCache()
        self.replica = replica_id()
        self.health = build_registry()
        self.sampler = Sampler(self.context, self.health, settings.sample_interval_seconds)

    def context(self) -> HealthContext:
        return HealthContext(
            self.settings, self.engine, self.sessions, self.evaluators, self.replica, config=self.config
        )
