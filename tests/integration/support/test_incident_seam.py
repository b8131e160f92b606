"""The real incident view behind support's one seam (support/tracked_incidents.py), end to end.

The unit of behaviour is tested with a fake view in test_tickets_api.py and test_doctor.py.
"""

from __future__ import annotations

from memo_coach.assembly import assemble
from memo_coach.config_store.versions import active_models
from memo_coach.db.base import utcnow
from memo_coach.incidents import service
from memo_coach.incidents.status import COMPONENTS
from memo_coach.support import incident_view


def provided_view():
    assemble()
    view = incident_view.incidents()
    assert view.available, f"the assembly must provide the incidents capability's view ({view.reason})"
    return view


def open_real_incident(session, check: str) -> str:
    """Opens an incident, as the alert rules would, on the status-page component that covers `check`."""
    component = next(name for name, checks in COMPONENTS.items() if check in checks)
    incident = service.open_incident(
        session, active_models(session)["monitoring"], title="Evaluations failing", severity="P2",
        source="manual", component=component,
    )  # fmt: skip
    return str(incident.id)


def test_the_real_view_answers_in_supports_terms(app):
    view = provided_view()
    with app.state.sessions() as session:
        for item in view.open_incidents(session):
            assert isinstance(item, incident_view.IncidentSummary)
        assert isinstance(view.incidents_between(session, utcnow(), utcnow()), list)
        assert all(isinstance(a, incident_view.ActionItem) for a in view.action_items(session))


def test_a_ticket_on_a_component_with_a_real_open_incident_is_linked(app, client, writer_headers):
    provided_view()
    with app.state.sessions.begin() as session:
        ref = open_real_incident(session, "llm")
    body = {"category": "problem", "summary": "Stuck", "description": "The evaluation failed with an error."}
    ticket = client.post("/api/v1/support/tickets", headers=writer_headers, json=body).json()["data"]
    assert ticket["incident"] == ref and ticket["messages"][0]["side"] == "system"
