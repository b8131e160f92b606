"""One per runtime: the health registry, the metric sampler and the context their checks run in."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.coaching.evaluators import EvaluatorChoice
from memo_coach.coaching.health import ProbeMemo
from memo_coach.config_store.versions import ConfigCache
from memo_coach.observability.db_timing import StatementTiming
from memo_coach.observability.health.registry import HealthContext, HealthRegistry, replica_id
from memo_coach.observability.history.sampler import Sampler
from memo_coach.settings import Settings


class Observability:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        sessions: sessionmaker[Session],
        health: HealthRegistry,
        evaluators: EvaluatorChoice,
        config: ConfigCache,
        timing: StatementTiming | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.sessions = sessions
        self.evaluators = evaluators
        self.config = config
        self.replica = replica_id()
        self.health = health
        self.probes = ProbeMemo()
        self.timing = timing  # None when statement timing is off
        self.sampler = Sampler(self.context, self.health, settings.sample_interval_seconds, timing=timing)

    def context(self) -> HealthContext:
        return HealthContext(
            self.settings, self.engine, self.sessions, self.evaluators, self.replica, self.config, self.probes
        )
