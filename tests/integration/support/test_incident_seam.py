"""INTEGRATION WITH issue 12 (incidents): the real incident view behind support's one seam.

Until the incidents capability is merged, the assembly provides `NO_INCIDENT_TRACKING` and these
tests skip, saying so. INTEGRATOR: when merging issue 12, (1) make `assembly.assemble()` call
`support_incidents.provide(<the incidents capability's IncidentView>)`, and (2) fill in
`open_real_incident` below with the incidents service call that opens an incident on a component.
The unit of behaviour is tested with a fake view in test_tickets_api.py and test_doctor.py.
"""

from __future__ import annotations

import pytest

from memo_coach.assembly import assemble
from memo_coach.db.base import utcnow
from memo_coach.support import incident_view


def provided_view():
    assemble()
    view = incident_view.incidents()
    if not view.available:
        pytest.skip(
            f"incident tracking is not wired into the assembly yet ({view.reason}); see this module's docstring"
        )
    return view


def open_real_incident(session, component: str) -> str:
    """INTEGRATOR: open an incident on `component` with the incidents service; return its ref."""
    pytest.skip("fill in open_real_incident with the incidents service call when merging issue 12")


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
