"""The incidents console: open incidents and alerts, one incident's timeline, actions and review."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.errors import AppError
from memo_coach.incidents import reviews, service
from memo_coach.incidents.alert_list import alert_rows
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.models import INTERNAL, PUBLIC, Incident
from memo_coach.incidents.notify import deliveries, delivery_view
from memo_coach.incidents.slo import slo_report
from memo_coach.incidents.status import COMPONENTS, incident_view
from memo_coach.incidents.timeline import assembled_timeline
from memo_coach.web.csrf import verify_csrf
from memo_coach.web.deps import DbSession, Operator, RowId
from memo_coach.web.pages.render import render

router = APIRouter(include_in_schema=False)
CONSOLE = "/ops/incidents"
Text = Annotated[str, Form(max_length=2000)]


def _back(path: str, message: str = "", error: str = "") -> RedirectResponse:
    query = f"?done={quote(message)}" if message else f"?error={quote(error)}" if error else ""
    return RedirectResponse(path + query, status_code=303)


@router.get(CONSOLE)
def console(request: Request, user: Operator, db: DbSession, done: str = "", error: str = ""):
    now = utcnow()
    config = read_active(db, MonitoringConfig)
    recent = db.scalars(select(Incident).order_by(Incident.opened_at.desc()).limit(50))
    return render(
        request,
        "incidents/console.html",
        incidents=[incident_view(i) for i in recent],
        rules=alert_rows(db, config),
        slos=slo_report(db, config, now),
        stats=reviews.response_stats(db, now - timedelta(days=365)),
        overdue=reviews.overdue_action_items(db, now.date()),
        components=list(COMPONENTS),
        done=done,
        error=error,
    )


@router.post(CONSOLE, dependencies=[Depends(verify_csrf)])
def open_by_hand(
    user: Operator,
    db: DbSession,
    title: Annotated[str, Form(max_length=200)],
    severity: Annotated[str, Form(max_length=2)],
    component: Annotated[str, Form(max_length=64)] = "service",
    public_title: Annotated[str, Form(max_length=200)] = "",
):
    """With a public title, writers see it at once (status page, banner); without one it stays internal."""
    try:
        incident = service.open_incident(
            db,
            read_active(db, MonitoringConfig),
            title=title,
            severity=severity,
            source="manual",
            actor=user.username,
            component=component,
            visibility=PUBLIC if public_title.strip() else INTERNAL,
            public_title=public_title,
            auto_resolve=False,
        )
    except AppError as exc:
        return _back(CONSOLE, error=exc.message)
    return _back(f"{CONSOLE}/{incident.id}", "opened")


@router.get(CONSOLE + "/{incident_id}")
def detail(request: Request, incident_id: RowId, user: Operator, db: DbSession, done: str = "", error: str = ""):
    incident = service.get_incident(db, incident_id)
    config = read_active(db, MonitoringConfig)
    rule = config.rule(incident.cause) if incident.cause else None
    return render(
        request,
        "incidents/detail.html",
        incident=incident_view(incident),
        severities=config.severity_guide(),
        runbook=rule.runbook if rule else None,
        timeline=assembled_timeline(db, incident),
        review=reviews.review_view(db, incident),
        notifications=[delivery_view(n) for n in deliveries(db, incident.id)],
        done=done,
        error=error,
    )


@router.post(CONSOLE + "/{incident_id}/act", dependencies=[Depends(verify_csrf)])
def act(
    incident_id: RowId,
    user: Operator,
    db: DbSession,
    action: Annotated[str, Form(max_length=20)],
    message: Text = "",
    severity: Annotated[str, Form(max_length=2)] = "",
    public: Annotated[bool, Form()] = False,
    public_title: Annotated[str, Form(max_length=200)] = "",
):
    """One form per action on the page; each calls one service function."""
    here = f"{CONSOLE}/{incident_id}"
    incident = service.get_incident(db, incident_id)
    config = read_active(db, MonitoringConfig)
    actions = {
        "ack": lambda: service.acknowledge(db, incident, user.username),
        "investigating": lambda: service.set_status(db, incident, "investigating", user.username, message),
        "mitigated": lambda: service.set_status(db, incident, "mitigated", user.username, message),
        "note": lambda: service.add_note(db, incident, user.username, message, public),
        "severity": lambda: service.change_severity(db, config, incident, severity, user.username, message),
        "resolve": lambda: service.resolve(db, config, incident, user.username, message),
        "reviewed": lambda: service.mark_reviewed(db, incident, user.username),
        "publish": lambda: service.set_visibility(db, incident, PUBLIC, public_title, user.username),
        "hide": lambda: service.set_visibility(db, incident, INTERNAL, "", user.username),
    }
    if action not in actions:
        return _back(here, error=f"unknown action {action}")
    try:
        actions[action]()
    except AppError as exc:
        return _back(here, error=exc.message)
    return _back(here, action)


@router.post(CONSOLE + "/{incident_id}/review", dependencies=[Depends(verify_csrf)])
def save_review(
    incident_id: RowId,
    user: Operator,
    db: DbSession,
    root_cause: Annotated[str, Form(max_length=20_000)] = "",
    went_well: Annotated[str, Form(max_length=20_000)] = "",
    went_badly: Annotated[str, Form(max_length=20_000)] = "",
):
    incident = service.get_incident(db, incident_id)
    reviews.save_review(db, incident, user.username, root_cause=root_cause, went_well=went_well, went_badly=went_badly)
    return _back(f"{CONSOLE}/{incident_id}", "review saved")


@router.post(CONSOLE + "/{incident_id}/action-items", dependencies=[Depends(verify_csrf)])
def add_action_item(
    incident_id: RowId,
    user: Operator,
    db: DbSession,
    text: Annotated[str, Form(max_length=500)],
    owner: Annotated[str, Form(max_length=64)],
    due: Annotated[date, Form()],
):
    here = f"{CONSOLE}/{incident_id}"
    try:
        reviews.add_action_item(db, service.get_incident(db, incident_id), text, owner, due)
    except AppError as exc:
        return _back(here, error=exc.message)
    return _back(here, "action item added")
