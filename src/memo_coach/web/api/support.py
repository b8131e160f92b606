"""Support tickets: writers open and follow theirs; support answers, assigns and reports."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from memo_coach.db.base import utcnow
from memo_coach.support.models import CATEGORIES, MAX_DESCRIPTION_CHARS, MAX_SUMMARY_CHARS, STATUSES
from memo_coach.support.tickets import desk
from memo_coach.support.tickets import service as tickets
from memo_coach.support.tickets.context import ticket_context
from memo_coach.support.tickets.reports import ticket_report
from memo_coach.web.deps import AppSettings, DbSession, RowId, SupportStaff, Writer
from memo_coach.web.envelope import ok
from memo_coach.web.rate_limits import throttled

router = APIRouter(prefix="/api/v1/support", tags=["support"])


class TicketBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category: Literal[CATEGORIES]
    summary: str = Field(max_length=MAX_SUMMARY_CHARS)
    description: str = Field(max_length=MAX_DESCRIPTION_CHARS)
    page: str | None = Field(None, max_length=500, description="the page the writer was on")
    request_ids: list[str] = Field([], max_length=5, description="request ids the writer saw (error pages show them)")
    include_memo: StrictBool = Field(False, description="attach the memo of the page's evaluation")
    contact_email: str | None = Field(None, max_length=254, description="replies are copied here when SMTP is on")


class ReplyBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: str = Field(max_length=MAX_DESCRIPTION_CHARS)


class AssignBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    assignee: str = Field(max_length=64)


class StatusBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal[STATUSES]


class RatingBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    satisfaction: StrictInt = Field(ge=1, le=5)
    comment: str = Field("", max_length=1000)


@router.post("/tickets", status_code=201, dependencies=[throttled("ticket")])
def open_ticket(body: TicketBody, request: Request, user: Writer, db: DbSession, settings: AppSettings):
    context = ticket_context(settings, user.id, body.page, body.request_ids, request.headers.get("user-agent"))
    fields = body.model_dump(include={"category", "summary", "description", "include_memo", "contact_email"})
    ticket = desk.submit(db, settings, user, utcnow(), context=context, **fields)
    return ok(desk.detail(db, ticket, user, utcnow()), status=201)


@router.get("/tickets")
def list_tickets(
    user: Writer,
    db: DbSession,
    status: str | None = Query(None, max_length=20, description="open, or one status"),
    mine: bool = Query(False, description="support: only tickets I opened"),
):
    """A writer's own tickets; support sees every ticket."""
    found = tickets.list_tickets(db, user, mine=mine, status=status)
    return ok(desk.summaries(db, found, utcnow()))


@router.get("/tickets/{ticket_id}")
def get_ticket(ticket_id: RowId, user: Writer, db: DbSession):
    return ok(desk.detail(db, tickets.get_ticket(db, ticket_id, user), user, utcnow()))


@router.post("/tickets/{ticket_id}/replies", status_code=201)
def reply(ticket_id: RowId, body: ReplyBody, user: Writer, db: DbSession, settings: AppSettings):
    ticket = tickets.get_ticket(db, ticket_id, user)
    desk.answer(db, settings, ticket, user, body.body, utcnow())
    return ok(desk.detail(db, ticket, user, utcnow()), status=201)


@router.post("/tickets/{ticket_id}/assign")
def assign(ticket_id: RowId, body: AssignBody, user: SupportStaff, db: DbSession):
    ticket = tickets.get_ticket(db, ticket_id, user)
    tickets.assign(db, ticket, tickets.find_user(db, body.assignee), user, utcnow())
    return ok(desk.detail(db, ticket, user, utcnow()))


@router.post("/tickets/{ticket_id}/status")
def set_status(ticket_id: RowId, body: StatusBody, user: Writer, db: DbSession):
    """Support moves tickets between statuses; a writer may close their own."""
    ticket = tickets.get_ticket(db, ticket_id, user)
    tickets.set_status(db, ticket, body.status, user, utcnow())
    return ok(desk.detail(db, ticket, user, utcnow()))


@router.post("/tickets/{ticket_id}/rating")
def rate(ticket_id: RowId, body: RatingBody, user: Writer, db: DbSession):
    ticket = tickets.get_ticket(db, ticket_id, user)
    tickets.rate(db, ticket, user, body.satisfaction, body.comment, utcnow())
    return ok(desk.detail(db, ticket, user, utcnow()))


@router.get("/reports")
def report(user: SupportStaff, db: DbSession, days: int = Query(30, ge=1, le=366)):
    """Volume by category, time to first response and to resolution, satisfaction, top causes."""
    now = utcnow()
    return ok(ticket_report(db, now - timedelta(days=days), now, now))
