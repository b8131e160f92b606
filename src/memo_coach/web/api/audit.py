"""The audit trail for admins: filtered events, chain verification, CSV or JSON export."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from memo_coach.audit.verify import chain_report
from memo_coach.security.audit_log import AuditFilter, export, search
from memo_coach.web.deps import MAX_ROW_ID, Admin, DbSession
from memo_coach.web.envelope import ok

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
MEDIA = {"csv": "text/csv", "json": "application/json"}


def audit_filter(
    actor: str | None = Query(None, max_length=64),
    action: str | None = Query(None, max_length=64, description="a prefix, e.g. user."),
    target: str | None = Query(None, max_length=200),
    since: datetime | None = Query(None, description="ISO 8601 with offset"),
    until: datetime | None = Query(None, description="ISO 8601 with offset"),
) -> AuditFilter:
    return AuditFilter(actor=actor, action=action, target=target, since=since, until=until)


@router.get("/events")
def events(
    admin: Admin,
    db: DbSession,
    actor: str | None = Query(None, max_length=64),
    action: str | None = Query(None, max_length=64),
    target: str | None = Query(None, max_length=200),
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_ROW_ID),
):
    where = audit_filter(actor, action, target, since, until)
    rows, total = search(db, where, limit, offset)
    return ok(rows, pagination={"total": total, "limit": limit, "offset": offset})


@router.get("/verify")
def verify(admin: Admin, db: DbSession):
    return ok(chain_report(db))


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}},
)
def export_events(
    admin: Admin,
    db: DbSession,
    format: Literal["csv", "json"] = "csv",
    actor: str | None = Query(None, max_length=64),
    action: str | None = Query(None, max_length=64),
    since: datetime | None = None,
    until: datetime | None = None,
):
    text = export(db, audit_filter(actor, action, None, since, until), format, actor=admin.username)
    disposition = f'attachment; filename="audit-events.{format}"'
    return Response(text, media_type=MEDIA[format], headers={"Content-Disposition": disposition})
