"""The compliance report's "incidents reviewed" line comes from real incidents and their reviews, so the
report can come out clean, and names the P1/P2 incidents still waiting for a review."""

from __future__ import annotations

from datetime import timedelta

from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.incidents import reviews, service
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.security.compliance import compliance_report


def incidents_item(sessions) -> dict:
    with session_scope(sessions) as session:
        report = compliance_report(session, utcnow())
    return next(i for i in report["items"] if i["item"] == "incidents reviewed")


def resolved(session, severity: str, days_ago: float):
    config = read_active(session, MonitoringConfig)
    now = utcnow()
    incident = service.open_incident(
        session,
        config,
        title=f"{severity} outage",
        severity=severity,
        source="manual",
        now=now - timedelta(days=days_ago),
    )
    service.resolve(session, config, incident, "dana", now=now - timedelta(days=days_ago) + timedelta(hours=1))
    return incident


def test_with_no_serious_incident_the_line_is_ok(sessions):
    with session_scope(sessions) as session:
        resolved(session, "P3", 2)  # lesser incidents need no review
        resolved(session, "P1", 40)  # outside the period
    item = incidents_item(sessions)
    assert item["status"] == "ok" and "no P1 or P2" in item["evidence"]


def test_a_serious_incident_without_a_review_is_named_and_with_one_the_line_is_ok(sessions):
    with session_scope(sessions) as session:
        reviewed = resolved(session, "P1", 10)
        reviews.save_review(session, reviewed, "dana", root_cause="the disk filled with logs")
        waiting = resolved(session, "P2", 3)
    item = incidents_item(sessions)
    assert item["status"] == "attention"
    assert item["evidence"] == (
        f"1 of 2 P1/P2 incidents resolved in the last 31 days have a post-incident review; without one: #{waiting.id}"
    )
    with session_scope(sessions) as session:
        reviews.save_review(session, session.merge(waiting), "dana", root_cause="a certificate expired")
    assert incidents_item(sessions) == {
        "item": "incidents reviewed",
        "status": "ok",
        "evidence": "2 of 2 P1/P2 incidents resolved in the last 31 days have a post-incident review",
    }
