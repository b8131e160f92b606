"""Operators' door to incidents and alerts; Alertmanager's webhook; the public status."""

from __future__ import annotations

import hmac
from datetime import date, timedelta
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool
from sqlalchemy import select

from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.errors import Unauthenticated
from memo_coach.incidents import reviews, service
from memo_coach.incidents.alert_list import alert_rows
from memo_coach.incidents.alertmanager import AlertmanagerPayload, intake
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.models import Incident
from memo_coach.incidents.notify import deliveries, delivery_view, send_test
from memo_coach.incidents.slo import slo_report
from memo_coach.incidents.status import incident_view, public_status
from memo_coach.incidents.timeline import assembled_timeline
from memo_coach.web.deps import PUBLIC, Admin, DbSession, Operator, RoleRequirement, RowId, runtime_of
from memo_coach.web.envelope import ok

router = APIRouter(prefix="/api/v1", tags=["incidents"])
Severity = Literal["P1", "P2", "P3", "P4"]
Visibility = Literal["internal", "public"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewIncident(Strict):
    title: str = Field(min_length=1, max_length=200)
    severity: Severity
    component: str = Field("service", min_length=1, max_length=64)
    visibility: Visibility = "internal"
    public_title: str = Field("", max_length=200, description="what writers read; needed when public")


class VisibilityChange(Strict):
    visibility: Visibility
    public_title: str = Field("", max_length=200, description="what writers read; needed when public")


class Note(Strict):
    message: str = Field(min_length=1, max_length=2000)
    public: StrictBool = Field(False, description="an update writers see on the status page of a public incident")


class StatusChange(Strict):
    status: Literal["investigating", "mitigated"]
    message: str = Field("", max_length=2000)


class Resolution(Strict):
    message: str = Field("", max_length=2000)


class SeverityChange(Strict):
    severity: Severity
    reason: str = Field(min_length=1, max_length=500)


class ReviewBody(Strict):
    root_cause: str = Field("", max_length=20_000)
    went_well: str = Field("", max_length=20_000)
    went_badly: str = Field("", max_length=20_000)


class ActionItemBody(Strict):
    text: str = Field(min_length=1, max_length=500)
    owner: str = Field(min_length=1, max_length=64)
    due: date


class TestNotification(Strict):
    channel: str = Field(min_length=1, max_length=64)


class AlertmanagerSender(RoleRequirement):
    """Alertmanager, which sends `Authorization: Bearer <MEMO_COACH_ALERTMANAGER_TOKEN>`; no session needed."""

    def __init__(self) -> None:
        super().__init__(None)

    def __call__(self, request: Request) -> None:  # type: ignore[override]
        token = runtime_of(request).settings.alertmanager_token
        sent = request.headers.get("authorization", "")
        if not (
            token
            and sent.startswith("Bearer ")
            and hmac.compare_digest(sent[7:].encode(), token.get_secret_value().encode())
        ):
            raise Unauthenticated("send Alertmanager's bearer token (MEMO_COACH_ALERTMANAGER_TOKEN)")

    def authorise_request(self, request: Request) -> None:
        self(request)


def _detail(db, incident: Incident) -> dict:
    return dict(
        incident_view(incident),
        timeline=assembled_timeline(db, incident),
        notifications=[delivery_view(n) for n in deliveries(db, incident.id)],
    )


@router.get("/incidents")
def list_incidents(
    user: Operator, db: DbSession, state: Literal["open", "all"] = "open", limit: int = Query(100, ge=1, le=500)
):
    query = select(Incident).order_by(Incident.opened_at.desc()).limit(limit)
    if state == "open":
        query = query.where(Incident.status.in_(service.OPEN_STATES))
    return ok([incident_view(i) for i in db.scalars(query)])


@router.post("/incidents", status_code=201)
def create_incident(body: NewIncident, user: Operator, db: DbSession):
    incident = service.open_incident(
        db,
        read_active(db, MonitoringConfig),
        title=body.title,
        severity=body.severity,
        source="manual",
        actor=user.username,
        component=body.component,
        visibility=body.visibility,
        public_title=body.public_title,
        auto_resolve=False,
    )
    return ok(incident_view(incident), status=201)


@router.get("/incidents/stats")
def incident_stats(user: Operator, db: DbSession, days: int = Query(365, ge=1, le=3650)):
    data = reviews.response_stats(db, utcnow() - timedelta(days=days))
    return ok(dict(data, overdue_action_items=reviews.overdue_action_items(db, utcnow().date())))


@router.get("/incidents/{incident_id}")
def get_incident(incident_id: RowId, user: Operator, db: DbSession):
    return ok(_detail(db, service.get_incident(db, incident_id)))


@router.post("/incidents/{incident_id}/ack")
def acknowledge(incident_id: RowId, user: Operator, db: DbSession):
    return ok(incident_view(service.acknowledge(db, service.get_incident(db, incident_id), user.username)))


@router.post("/incidents/{incident_id}/status")
def change_status(incident_id: RowId, body: StatusChange, user: Operator, db: DbSession):
    incident = service.set_status(db, service.get_incident(db, incident_id), body.status, user.username, body.message)
    return ok(incident_view(incident))


@router.post("/incidents/{incident_id}/visibility")
def change_visibility(incident_id: RowId, body: VisibilityChange, user: Operator, db: DbSession):
    """Public: writers see it under its public title (status page, feed, banner); internal: only operators."""
    incident = service.get_incident(db, incident_id)
    service.set_visibility(db, incident, body.visibility, body.public_title, user.username)
    return ok(incident_view(incident))


@router.post("/incidents/{incident_id}/notes", status_code=201)
def add_note(incident_id: RowId, body: Note, user: Operator, db: DbSession):
    event = service.add_note(db, service.get_incident(db, incident_id), user.username, body.message, body.public)
    return ok({"id": event.id, "kind": event.kind, "public": event.public}, status=201)


@router.post("/incidents/{incident_id}/severity")
def change_severity(incident_id: RowId, body: SeverityChange, user: Operator, db: DbSession):
    incident = service.get_incident(db, incident_id)
    service.change_severity(db, read_active(db, MonitoringConfig), incident, body.severity, user.username, body.reason)
    return ok(incident_view(incident))


@router.post("/incidents/{incident_id}/resolve")
def resolve(incident_id: RowId, body: Resolution, user: Operator, db: DbSession):
    incident = service.get_incident(db, incident_id)
    service.resolve(db, read_active(db, MonitoringConfig), incident, user.username, body.message)
    return ok(incident_view(incident))


@router.get("/incidents/{incident_id}/review")
def get_review(incident_id: RowId, user: Operator, db: DbSession):
    return ok(reviews.review_view(db, service.get_incident(db, incident_id)))


@router.put("/incidents/{incident_id}/review")
def save_review(incident_id: RowId, body: ReviewBody, user: Operator, db: DbSession):
    incident = service.get_incident(db, incident_id)
    reviews.save_review(db, incident, user.username, **body.model_dump())
    return ok(reviews.review_view(db, incident))


@router.get(
    "/incidents/{incident_id}/review.md",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/markdown": {}}}},
)
def review_markdown(incident_id: RowId, user: Operator, db: DbSession):
    text = reviews.review_markdown(db, service.get_incident(db, incident_id))
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")


@router.post("/incidents/{incident_id}/action-items", status_code=201)
def add_action_item(incident_id: RowId, body: ActionItemBody, user: Operator, db: DbSession):
    item = reviews.add_action_item(db, service.get_incident(db, incident_id), body.text, body.owner, body.due)
    return ok(reviews.item_view(item), status=201)


@router.post("/incidents/action-items/{item_id}/done")
def complete_action_item(item_id: RowId, user: Operator, db: DbSession):
    return ok(reviews.item_view(reviews.complete_action_item(db, item_id)))


@router.post("/incidents/{incident_id}/reviewed")
def mark_reviewed(incident_id: RowId, user: Operator, db: DbSession):
    return ok(incident_view(service.mark_reviewed(db, service.get_incident(db, incident_id), user.username)))


@router.get("/alerts")
def list_alerts(user: Operator, db: DbSession):
    """Every rule (SLO burn-rate rules included) with its state now (inactive, pending, firing), the
    incident it feeds, its raw value and the value in words with its threshold (`value_text`)."""
    return ok(alert_rows(db, read_active(db, MonitoringConfig)))


@router.get("/slos")
def slos(user: Operator, db: DbSession):
    """Each SLO: good ratio over its period, error budget left, burn rates over 1 h, 6 h and 3 days."""
    return ok(slo_report(db, read_active(db, MonitoringConfig), utcnow()))


@router.post("/alerts/test")
def test_notification(body: TestNotification, user: Admin, db: DbSession):
    return ok(delivery_view(send_test(db, read_active(db, MonitoringConfig), body.channel)))


@router.post("/alerts/alertmanager", dependencies=[Depends(AlertmanagerSender())])
def alertmanager_webhook(payload: AlertmanagerPayload, db: DbSession):
    return ok(intake(db, read_active(db, MonitoringConfig), payload, utcnow()))


@router.get("/status", dependencies=[Depends(PUBLIC)])
def status(db: DbSession):
    return ok(public_status(db))
