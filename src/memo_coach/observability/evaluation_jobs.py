"""Pending evaluations as Prometheus sees them: a gauge read from the database at scrape time.

`running` jobs are under a live lease; `stranded` ones lost their owner and wait for a takeover,
which normally happens within a lease period (health check: coaching/health.py).
"""

from __future__ import annotations

import logging

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.coaching.jobs import pending_counts
from memo_coach.db.engine import session_scope
from memo_coach.observability.metrics_registry import PREFIX

log = logging.getLogger(__name__)


class PendingEvaluationsCollector(Collector):
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def describe(self):
        return []  # read from the database on demand

    def collect(self):
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
