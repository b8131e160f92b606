"""The assembled timeline: task runs, configuration changes, audit events, maintenance and restarts
around an incident join its own events, in time order."""

from __future__ import annotations

from datetime import timedelta

from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.service import acknowledge, open_incident
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
    assert {"task_run", "config_change", "audit", "maintenance", "restart", "triggered", "acknowledged"} <= set(kinds)
    assert kinds.index("task_run") < kinds.index("triggered") < kinds.index("acknowledged")
    assert [e["at"] for e in timeline] == sorted(e["at"] for e in timeline)
    assert [e["message"] for e in timeline if e["kind"] == "restart"] == ["process host-4242 started"]
