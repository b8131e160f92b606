"""Real incident rows, read in support's terms: the tickets, the doctor and the reviews all rely on these."""

from __future__ import annotations

from datetime import timedelta

from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.incidents import reviews, service
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.support.incident_summaries import action_items, incidents_between, open_incident_for, open_incidents
from tests.integration.support.conftest import open_incident_on


def test_an_open_incident_is_found_by_its_component_and_by_the_checks_behind_it(sessions):
    with session_scope(sessions) as session:
        incident = open_incident_on(
            session, "llm", "LLM provider errors", update="Evaluations use the offline analyzer."
        )
        service.set_visibility(session, incident, "public", "Feedback is simpler than usual", "dana")
        website = open_incident_on(session, "disk", "Disk filling", update="disk at 10.0.0.7 full")
    with session_scope(sessions) as session:
        [first, second] = open_incidents(session)
        assert (first.ref, first.component, first.status) == (str(incident.id), "evaluations", "triggered")
        assert first.public_status == "Evaluations use the offline analyzer."  # the latest public update
        assert first.public_title == "Feedback is simpler than usual"
        # An internal incident tells writers only where and that it is known, never its title or notes.
        assert (second.public_title, second.title) == ("a problem with website", "Disk filling")
        assert second.public_status == "We are aware of a problem and are looking into it."
        assert open_incident_for(session, "llm") == open_incident_for(session, "evaluations") == first
        assert open_incident_for(session, "web").ref == str(website.id)  # tickets say web, the status page website
        assert open_incident_for(session, "scheduler") is None and open_incident_for(session, None) is None


def test_a_period_holds_the_incidents_open_at_some_moment_of_it(sessions):
    now = utcnow()
    with session_scope(sessions) as session:
        config = read_active(session, MonitoringConfig)
        before = open_incident_on(session, "llm", "Long gone", now=now - timedelta(days=40))
        service.resolve(session, config, before, "dana", now=now - timedelta(days=35))
        during = open_incident_on(session, "llm", "Last week", now=now - timedelta(days=8))
        service.resolve(session, config, during, "dana", now=now - timedelta(days=7))
        still_open = open_incident_on(session, "backups", "Backups failing", now=now - timedelta(days=31))
    with session_scope(sessions) as session:
        month = incidents_between(session, now - timedelta(days=30), now)
        assert [i.title for i in month] == ["Backups failing", "Last week"]
        assert month[1].resolved_at == now - timedelta(days=7) and month[0].resolved_at is None
        assert [i.ref for i in open_incidents(session)] == [str(still_open.id)]


def test_action_items_from_incident_reviews_carry_their_owner_source_and_due_date(sessions):
    now = utcnow()
    with session_scope(sessions) as session:
        incident = open_incident_on(session, "llm", "LLM down")
        item = reviews.add_action_item(session, incident, "Add a second provider", "dana", now.date())
        reviews.complete_action_item(session, item.id)
    with session_scope(sessions) as session:
        [found] = action_items(session)
    assert (found.title, found.source) == ("Add a second provider (owner dana)", f"incident {incident.id}")
    assert found.due_at.date() == now.date() and found.due_at.tzinfo is not None and found.done_at is not None
