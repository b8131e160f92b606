"""The assembled timeline: what concerns an incident (its alerts, its component's health changes,
configuration changes, restarts and maintenance near its start, tasks that touched its component)
joins its own events, in time order; sign-ins and other audit events of the period do not."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from memo_coach import audit
from memo_coach.config_store.models import ConfigVersion
from memo_coach.config_store.versions import apply, read_active
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.models import Incident
from memo_coach.incidents.service import acknowledge, open_incident
from memo_coach.incidents.sources import HEALTH_SERIES
from memo_coach.incidents.timeline import assembled_timeline
from memo_coach.maintenance.mode.service import switch_on
from memo_coach.maintenance.scheduler.models import TaskRun
from tests.integration.incidents.conftest import record, use_monitoring


def test_what_happened_around_the_incident_joins_its_timeline(sessions):
    now = utcnow()
    record(sessions, "requests_per_s", [1.0] * 4, start=now - timedelta(hours=2))  # an old process
    with session_scope(sessions) as session:
        session.add(TaskRun(task="backup", trigger="schedule", status="failed", started_at=now - timedelta(minutes=10)))
    use_monitoring(sessions, "  []")  # a configuration change shortly before
    with session_scope(sessions) as session:
        incident = open_incident(
            session, read_active(session, MonitoringConfig), title="Backups fail", severity="P2", source="manual"
        )
        switch_on(session, "op1", "restoring")
        acknowledge(session, incident, "op1")
        incident_id = incident.id
    from memo_coach.observability.history.models import MetricSample

    with session_scope(sessions) as session:  # a process that started after the incident opened
        session.add(
            MetricSample(ts=utcnow(), resolution=0, replica="host-4242", name="requests_per_s", labels="", value=1)
        )
    with session_scope(sessions) as session:
        from memo_coach.incidents.models import Incident

        timeline = assembled_timeline(session, session.get(Incident, incident_id))
    kinds = [e["kind"] for e in timeline]
    assert {"task_run", "config_change", "maintenance", "restart", "triggered", "acknowledged"} <= set(kinds)
    assert "audit" not in kinds
    assert kinds.index("task_run") < kinds.index("triggered") < kinds.index("acknowledged")
    assert [e["at"] for e in timeline] == sorted(e["at"] for e in timeline)
    assert [e["message"] for e in timeline if e["kind"] == "restart"] == ["process host-4242 started"]


def test_the_timeline_holds_what_concerns_the_incident_and_no_sign_ins(sessions):
    with session_scope(sessions) as session:
        apply(session, "rubric", _rubric(session, "an old change"), author="ana", reason="two hours before")
        apply(session, "rubric", _rubric(session, "the culprit"), author="ana", reason="ten minutes before")
        audit.record(session, "writer1", "auth.login", "127.0.0.1")  # a sign-in before the incident
    record(sessions, HEALTH_SERIES, [0, 0, 2, 2], start=utcnow() - timedelta(minutes=5), label="llm", step=60)
    with session_scope(sessions) as session:
        incident = open_incident(
            session, read_active(session, MonitoringConfig), title="LLM down", severity="P2", source="manual",
            component="evaluations",
        )  # fmt: skip
        old, recent = session.scalars(select(ConfigVersion).where(ConfigVersion.name == "rubric")).all()[-2:]
        old.created_at = incident.opened_at - timedelta(hours=2)
        recent.created_at = incident.opened_at - timedelta(minutes=10)
        session.add_all(
            [
                TaskRun(task="backup", trigger="schedule", status="succeeded", started_at=incident.opened_at),
                TaskRun(task="cleanup", trigger="schedule", status="failed", started_at=incident.opened_at),
            ]
        )
        incident_id = incident.id
    with session_scope(sessions) as session:
        audit.record(session, "writer2", "auth.login", "127.0.0.1")  # a sign-in during the incident
    with session_scope(sessions) as session:
        timeline = assembled_timeline(session, session.get(Incident, incident_id))
    text = "\n".join(f"{e['kind']} {e['message']} {e['actor']}" for e in timeline)
    assert "writer1" not in text and "writer2" not in text and "auth.login" not in text
    assert [e["message"] for e in timeline if e["kind"] == "config_change"] == ["rubric v3: ten minutes before"]
    assert [e["message"] for e in timeline if e["kind"] == "health"] == ["llm healthy -> unhealthy"]
    # The evaluations do not depend on the backup; a failed task may be the cause wherever it ran.
    assert [e["message"] for e in timeline if e["kind"] == "task_run"] == ["task cleanup failed (schedule)"]


def _rubric(session, name: str) -> str:
    from memo_coach.config_store.versions import active_version

    return active_version(session, "rubric").content + f"\n# {name}\n"
