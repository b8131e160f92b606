"""What needs a person now: open incidents (gravest first), failing tasks, overdue tickets, pending approvals.

The console opens with this list so an operator starts from what is wrong rather than from charts;
each item names where to act. It reads each capability's own view, it decides nothing itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.auth import approvals
from memo_coach.config_store import changes
from memo_coach.config_store.versions import read_active
from memo_coach.incidents.models import OPEN_STATES, Incident
from memo_coach.maintenance.scheduler.health import task_states
from memo_coach.maintenance.scheduler.models import FAILED, TIMED_OUT, TaskRun
from memo_coach.support.config import SupportConfig
from memo_coach.support.models import OPEN_STATUSES, Ticket
from memo_coach.support.tickets.views import due_times, overdue

LIMIT = 20  # per kind: the page says how many more there are


def _item(text: str, href: str, at: datetime | None, detail: str = "") -> dict[str, Any]:
    return {"text": text, "href": href, "at": at.isoformat() if at else None, "detail": detail}


def _incidents(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Incident).where(Incident.status.in_(OPEN_STATES)).order_by(Incident.severity, Incident.opened_at)
    )
    return [
        _item(f"{i.severity} {i.title}", f"/ops/incidents/{i.id}", i.opened_at, f"{i.status}, {i.component}")
        for i in rows
    ]


def _last_failure(session: Session, task: str) -> TaskRun | None:
    query = select(TaskRun).where(TaskRun.task == task, TaskRun.status.in_((FAILED, TIMED_OUT)))
    return session.scalars(query.order_by(TaskRun.started_at.desc()).limit(1)).first()


def _tasks(session: Session, now: datetime) -> list[dict[str, Any]]:
    items = []
    for state in task_states(session, now):
        failing = state["last_status"] in (FAILED, TIMED_OUT)
        if not (failing or state["overdue"]):
            continue
        run = _last_failure(session, state["task"]) if failing else None
        problem = f"last run {state['last_status'].replace('_', ' ')}" if failing else "overdue"
        detail = run.reason if run is not None and run.reason else problem
        at = run.started_at if run is not None else None
        items.append(_item(f"task {state['task']}: {problem}", "/ops/maintenance#fail-h", at, detail))
    return items


def _tickets(session: Session, now: datetime) -> list[dict[str, Any]]:
    config = read_active(session, SupportConfig)
    items = []
    for ticket in session.scalars(select(Ticket).where(Ticket.status.in_(OPEN_STATUSES)).order_by(Ticket.created_at)):
        missed = overdue(ticket, config, now)
        if missed:
            due = due_times(ticket, config)[0 if "first_response" in missed else 1]
            what = "no first answer" if "first_response" in missed else "not resolved"
            items.append(_item(f"ticket {ticket.id}: {ticket.summary}", f"/support/tickets/{ticket.id}", due, what))
    return items


def _approvals(session: Session) -> list[dict[str, Any]]:
    accounts = [
        _item(
            f"{a.change.replace('_', ' ')} {a.username}", "/admin/users", a.requested_at, f"asked by {a.requested_by}"
        )
        for a in approvals.pending(session)
    ]
    proposals = [
        _item(f"{p.name} change (proposal {p.id})", "/admin/config", p.created_at, f"by {p.author}: {p.reason}")
        for p in changes.list_proposals(session)
    ]
    return accounts + proposals


def needs_attention(session: Session, now: datetime, *, with_approvals: bool) -> dict[str, Any]:
    """Each kind's items (text, link, moment, detail), at most LIMIT each, and the total count.
    Approvals only for whom may give them (admins)."""
    kinds = {
        "incidents": _incidents(session),
        "tasks": _tasks(session, now),
        "tickets": _tickets(session, now),
        "approvals": _approvals(session) if with_approvals else [],
    }
    total = sum(len(items) for items in kinds.values())
    shown = {name: {"items": items[:LIMIT], "more": max(0, len(items) - LIMIT)} for name, items in kinds.items()}
    return {"total": total, **shown}
