"""The rule evaluator: every `interval_seconds`, one replica (the lease holder) evaluates every rule.

A firing rule opens or updates its incident (deduplicated by rule or group), a clearing one resolves
it when nothing else in the incident still fires or is about to (pending); inside a maintenance window a firing is held back
and recorded instead. After each pass, overdue incidents are escalated and due notifications sent.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.incidents import service
from memo_coach.incidents.alert_list import value_text
from memo_coach.incidents.config import MonitoringConfig, Rule
from memo_coach.incidents.models import (
    FIRING,
    INACTIVE,
    INTERNAL,
    PENDING,
    PUBLIC,
    AlertEvent,
    AlertState,
    Incident,
    MonitorLease,
)
from memo_coach.incidents.notify import deliver_due
from memo_coach.incidents.rules import step
from memo_coach.incidents.sources import value_now
from memo_coach.maintenance.mode.service import maintenance_state
from memo_coach.periodic import PeriodicLoop

log = logging.getLogger(__name__)
LEASE = "rules"


def claim_lease(session: Session, owner: str, now: datetime, seconds: float) -> bool:
    """True when this owner holds the evaluator lease until now + seconds (renewed each pass)."""
    expires = now + timedelta(seconds=seconds)
    free = or_(MonitorLease.owner == owner, MonitorLease.expires_at.is_(None), MonitorLease.expires_at < now)
    result = session.execute(
        update(MonitorLease).where(MonitorLease.name == LEASE, free).values(owner=owner, expires_at=expires)
    )
    if result.rowcount == 1:
        return True
    if session.get(MonitorLease, LEASE) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(MonitorLease(name=LEASE, owner=owner, expires_at=expires))
        return True
    except IntegrityError:  # another replica created it first
        return False


def _state(session: Session, rule: str) -> AlertState:
    return session.get(AlertState, rule) or AlertState(rule=rule, state=INACTIVE)


def _fire(session: Session, config: MonitoringConfig, rule: Rule, row: AlertState, now: datetime) -> None:
    if maintenance_state(session, now).active:
        row.held = True
        session.add(AlertEvent(rule=rule.name, kind="held", at=now, value=row.value))
        return
    row.held = False
    incident = service.open_by_key(session, rule.dedup_key)
    if incident is None:
        incident = service.open_incident(
            session,
            config,
            title=rule.summary,
            severity=rule.severity,
            source="rule",
            dedup_key=rule.dedup_key,
            component=rule.component,
            visibility=PUBLIC if rule.affects_writers else INTERNAL,
            public_title=rule.public_title,
            auto_resolve=rule.auto_resolve,
            cause=rule.name,
            now=now,
        )
    elif rule.severity < incident.severity:  # "P1" < "P2": a graver alert raises the incident
        service.change_severity(session, config, incident, rule.severity, "system", f"{rule.name} fired")
    row.incident_id = incident.id
    session.add(AlertEvent(rule=rule.name, kind="fired", at=now, value=row.value, incident_id=incident.id))
    said = value_text(rule, row.value)
    service.add_event(session, incident, "alert_fired", f"{rule.name}: {rule.summary}; {said}", at=now)


def _clear(session: Session, config: MonitoringConfig, rule: Rule, row: AlertState, now: datetime) -> None:
    incident = session.get(Incident, row.incident_id) if row.incident_id else None
    session.add(AlertEvent(rule=rule.name, kind="cleared", at=now, value=row.value, incident_id=row.incident_id))
    row.incident_id, row.held = None, False
    if incident is None:
        return
    said = value_text(rule, row.value)
    service.add_event(session, incident, "alert_cleared", f"{rule.name} cleared; {said}", at=now)
    _resolve_when_quiet(session, config, incident, now)


def _resolve_when_quiet(session: Session, config: MonitoringConfig, incident: Incident, now: datetime) -> None:
    """Resolves the incident once none of its alerts fires and none of its group is about to: a rule
    still pending (holding, not yet for long enough) would otherwise fire a moment later and open a
    second incident for the same outage."""
    session.flush()
    still_firing = session.scalar(
        select(AlertState.rule).where(AlertState.incident_id == incident.id, AlertState.state == FIRING).limit(1)
    )
    group = [r.name for r in config.all_rules() if r.enabled and r.dedup_key == incident.dedup_key]
    about_to = session.scalar(
        select(AlertState.rule).where(AlertState.rule.in_(group), AlertState.state == PENDING).limit(1)
    )
    if incident.auto_resolve and still_firing is None and about_to is None and incident.status in service.OPEN_STATES:
        service.resolve(session, config, incident, "system", "every alert of this incident cleared", now)


def evaluate_rule(session: Session, config: MonitoringConfig, rule: Rule, now: datetime) -> str | None:
    row = _state(session, rule.name)
    session.add(row)
    row.value = value_now(session, rule, now, config)
    was = row.state
    result = step(row.state, row.since, rule.holds(row.value), now, rule.for_seconds)
    row.state, row.since, row.evaluated_at = result.state, result.since, now
    if result.transition == "fired" or (
        row.state == FIRING and row.held and not maintenance_state(session, now).active
    ):
        _fire(session, config, rule, row, now)
    elif result.transition == "cleared":
        _clear(session, config, rule, row, now)
    elif was == PENDING and row.state == INACTIVE and (incident := service.open_by_key(session, rule.dedup_key)):
        _resolve_when_quiet(session, config, incident, now)  # the incident was waiting for this rule
    return result.transition


def evaluate_all(session: Session, config: MonitoringConfig, now: datetime) -> dict[str, str | None]:
    """One pass over every enabled rule; a rule whose source fails is logged and skipped."""
    transitions = {}
    for rule in config.all_rules():
        if not rule.enabled:
            continue
        try:
            with session.begin_nested():
                transitions[rule.name] = evaluate_rule(session, config, rule, now)
        except Exception:
            log.exception("alert rule %s could not be evaluated", rule.name)
    service.escalate_overdue(session, config, now)
    return transitions


class RuleEvaluator:
    """Runs on a daemon thread in every replica; only the lease holder evaluates."""

    def __init__(self, sessions: sessionmaker[Session], owner: str, public_url: str = "") -> None:
        self.sessions = sessions
        self.owner = owner
        self.public_url = public_url  # where the notifications' links point
        # 15 s only until the first pass reads monitoring.yaml's interval_seconds. A failed pass (a
        # database outage) is logged and the next one tries again.
        self._loop = PeriodicLoop("rule-evaluator", 15.0, self.tick, run_first=True)

    def tick(self, now: datetime | None = None) -> dict[str, str | None] | None:
        """One pass if this replica holds the lease; None when another one does."""
        now = now or utcnow()
        with session_scope(self.sessions) as session:
            config = read_active(session, MonitoringConfig)
            self._loop.interval_seconds = config.interval_seconds
            if not claim_lease(session, self.owner, now, 3 * config.interval_seconds):
                return None
            transitions = evaluate_all(session, config, now)
        deliver_due(self.sessions, config, now, self.public_url)
        return transitions

    def start(self) -> None:
        self._loop.start()

    def stop(self) -> None:
        self._loop.stop()
