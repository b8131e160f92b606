"""Support pages: "Get help" (the form shows what it attaches), My tickets, one ticket, the support queue."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse

from memo_coach.db.base import utcnow
from memo_coach.errors import AppError
from memo_coach.support.models import MAX_DESCRIPTION_CHARS, MAX_SUMMARY_CHARS, STATUSES
from memo_coach.support.tickets import desk
from memo_coach.support.tickets import service as tickets
from memo_coach.support.tickets.context import ticket_context
from memo_coach.support.tickets.reports import ticket_report
from memo_coach.web.csrf import verify_csrf
from memo_coach.web.deps import Config, DbSession, RowId, SupportStaff, Writer, runtime_of
from memo_coach.web.pages.render import render
from memo_coach.web.pages.translation import page_gettext, page_language
from memo_coach.web.pages.writer_errors import N_, localized_error
from memo_coach.web.rate_limits import take

router = APIRouter(include_in_schema=False)
CATEGORY_NAMES = {
    "problem": N_("Something is not working"),
    "question": N_("A question"),
    "evaluation_feedback": N_("Feedback on an evaluation"),
    "account": N_("My account"),
    "other": N_("Something else"),
}
# Words a writer reads as data, translated where shown (`|localized`): a ticket's status ("waiting_on_writer"
# shown as "waiting on writer") and the refusals a writer's own ticket can meet.
DATA_WORDS = (
    *(N_("new"), N_("triaged"), N_("waiting on writer"), N_("resolved"), N_("closed")),
    *(N_("the summary is empty"), N_("the description is empty"), N_("that email address does not look right")),
    N_("there is no evaluation of yours to attach the memo from"),
    N_("a ticket is rated once it is resolved"),
    N_("rate from 1 (poor) to 5 (excellent)"),
)


def _context(request: Request, user, page: str | None, rid: str | None) -> dict:
    settings = runtime_of(request).settings
    return ticket_context(settings, user.id, page, [rid] if rid else [], request.headers.get("user-agent"))


@router.get("/support/new")
def new_ticket_form(
    request: Request,
    user: Writer,
    page: str | None = Query(None, alias="from", max_length=500),
    rid: str | None = Query(None, max_length=64),
):
    context = _context(request, user, page, rid)
    return render(
        request,
        "support/new.html",
        context=context,
        categories=CATEGORY_NAMES,
        form={},
        max_chars=MAX_DESCRIPTION_CHARS,
    )


@router.post("/support/tickets", dependencies=[Depends(verify_csrf)])
def submit_ticket(
    request: Request,
    user: Writer,
    db: DbSession,
    config: Config,
    category: Annotated[str, Form(max_length=24)] = "",
    summary: Annotated[str, Form(max_length=MAX_SUMMARY_CHARS)] = "",
    description: Annotated[str, Form(max_length=MAX_DESCRIPTION_CHARS)] = "",
    page: Annotated[str, Form(max_length=500)] = "",
    rid: Annotated[str, Form(max_length=64)] = "",
    include_memo: Annotated[str, Form(max_length=3)] = "",
    contact_email: Annotated[str, Form(max_length=254)] = "",
):
    fields = {
        "category": category,
        "summary": summary,
        "description": description,
        "include_memo": include_memo == "yes",
        "contact_email": contact_email,
    }
    context = None
    try:
        take(request, "ticket", user.username, config)  # before the context reads the log
        context = _context(request, user, page, rid)
        ticket = desk.submit(db, runtime_of(request).settings, user, utcnow(), context=context, **fields)
    except AppError as exc:
        db.rollback()
        return render(
            request,
            "support/new.html",
            exc.status,
            context=context or _context(request, user, page, rid),
            categories=CATEGORY_NAMES,
            form=fields,
            error=localized_error(exc.message, exc.code, exc.details, page_gettext(request), page_language(request)),
            max_chars=MAX_DESCRIPTION_CHARS,
        )
    return RedirectResponse(f"/support/tickets/{ticket.id}?sent=1", status_code=303)


@router.get("/support/tickets")
def my_tickets(request: Request, user: Writer, db: DbSession):
    rows = desk.summaries(db, tickets.list_tickets(db, user, mine=True), utcnow())
    return render(request, "support/my_tickets.html", rows=rows, categories=CATEGORY_NAMES)


@router.get("/support/tickets/{ticket_id}")
def ticket_page(ticket_id: RowId, request: Request, user: Writer, db: DbSession, sent: int = 0, error: str = ""):
    ticket = tickets.get_ticket(db, ticket_id, user)
    return render(
        request,
        "support/ticket.html",
        t=desk.detail(db, ticket, user, utcnow()),
        owner=ticket.user_id == user.id,
        staff=tickets.is_support(user),
        statuses=STATUSES,
        categories=CATEGORY_NAMES,
        sent=sent,
        error=error[:300],
        max_chars=MAX_DESCRIPTION_CHARS,
    )


def _back(ticket_id: int, error: str = "") -> RedirectResponse:
    suffix = f"?error={quote(error)}" if error else "#conversation"
    return RedirectResponse(f"/support/tickets/{ticket_id}{suffix}", status_code=303)


def _act(db, ticket_id: int, action) -> RedirectResponse:
    """Runs one change; a refused one comes back to the ticket page in words, nothing half-done."""
    try:
        action()
    except AppError as exc:
        db.rollback()
        return _back(ticket_id, exc.message)
    return _back(ticket_id)


@router.post("/support/tickets/{ticket_id}/reply", dependencies=[Depends(verify_csrf)])
def reply_form(
    ticket_id: RowId,
    request: Request,
    user: Writer,
    db: DbSession,
    body: Annotated[str, Form(max_length=MAX_DESCRIPTION_CHARS)] = "",
):
    ticket = tickets.get_ticket(db, ticket_id, user)
    return _act(db, ticket_id, lambda: desk.answer(db, runtime_of(request).settings, ticket, user, body, utcnow()))


@router.post("/support/tickets/{ticket_id}/status", dependencies=[Depends(verify_csrf)])
def status_form(ticket_id: RowId, user: Writer, db: DbSession, status: Annotated[str, Form(max_length=20)] = ""):
    ticket = tickets.get_ticket(db, ticket_id, user)
    return _act(db, ticket_id, lambda: tickets.set_status(db, ticket, status, user, utcnow()))


@router.post("/support/tickets/{ticket_id}/assign", dependencies=[Depends(verify_csrf)])
def assign_form(
    ticket_id: RowId, user: SupportStaff, db: DbSession, assignee: Annotated[str, Form(max_length=64)] = ""
):
    ticket = tickets.get_ticket(db, ticket_id, user)
    return _act(db, ticket_id, lambda: tickets.assign(db, ticket, tickets.find_user(db, assignee), user, utcnow()))


@router.post("/support/tickets/{ticket_id}/rating", dependencies=[Depends(verify_csrf)])
def rating_form(
    ticket_id: RowId,
    user: Writer,
    db: DbSession,
    satisfaction: Annotated[int, Form(ge=1, le=5)] = 0,
    comment: Annotated[str, Form(max_length=1000)] = "",
):
    ticket = tickets.get_ticket(db, ticket_id, user)
    return _act(db, ticket_id, lambda: tickets.rate(db, ticket, user, satisfaction, comment, utcnow()))


@router.get("/support/queue")
def support_queue(
    request: Request, user: SupportStaff, db: DbSession, status: str = Query("open", max_length=20, pattern="^[a-z_]*$")
):
    now = utcnow()
    rows = desk.summaries(db, tickets.list_tickets(db, user, status=status or None), now)
    report = ticket_report(db, now - timedelta(days=30), now, now)
    return render(
        request,
        "support/queue.html",
        rows=rows,
        shown=status,
        statuses=STATUSES,
        report=report,
        categories=CATEGORY_NAMES,
    )
