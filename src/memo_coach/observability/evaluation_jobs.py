"""Pending evaluations as operators watch them: a gauge read at scrape time and a health check.

`running` jobs are under a live lease; `stranded` ones lost their owner and wait for a takeover,
which normally happens within a lease period. Stranded jobs that stay are the sign that no process
is taking them over.
"""

from __future__ import annotations

import logging

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.coaching.jobs import pending_counts
from memo_coach.component_status import DEGRADED, HEALTHY, ComponentStatus
from memo_coach.db.engine import session_scope
from memo_coach.observability.health.registry import HealthContext
from memo_coach.observability.metrics_registry import PREFIX, REGISTRY

log = logging.getLogger(__name__)


class PendingEvaluationsCollector(Collector):
    def __init__(self) -> None:
        self.sessions: sessionmaker[Session] | None = None

    def describe(self):
        return []  # read from the database on demand

    def collect(self):
        if self.sessions is None:
            return
        try:
            with session_scope(self.sessions) as session:
                counts = pending_counts(session)
        except SQLAlchemyError:
            log.warning("pending evaluations could not be counted", exc_info=True)
            return
        family = GaugeMetricFamily(
            PREFIX + "evaluations_pending",
            "Pending evaluations: running under a live lease, or stranded (owner gone, waiting for a takeover).",
            labels=["state"],
        )
        family.add_metric(["running"], counts["running"])
        family.add_metric(["stranded"], counts["stranded"])
        yield family


COLLECTOR = PendingEvaluationsCollector()
REGISTRY.register(COLLECTOR)


def bind(sessions: sessionmaker[Session]) -> None:
    """Points the collector at the app's database (the last app created in a process wins)."""
    COLLECTOR.sessions = sessions


def check_evaluations(ctx: HealthContext) -> ComponentStatus:
    """Degraded while evaluations are stranded: writers wait, and nobody is taking their work over."""
    with session_scope(ctx.sessions) as session:
        counts = pending_counts(session, ctx.now)
    if counts["stranded"]:
        reason = (
            f"{counts['stranded']} pending evaluations have no live owner (oldest "
            f"{counts['oldest_stranded_seconds']:.0f} s); a takeover normally follows within seconds"
        )
        return ComponentStatus("evaluations", DEGRADED, reason, details=counts)
    return ComponentStatus("evaluations", HEALTHY, f"{counts['running']} evaluations running", details=counts)
