"""`memo-coach tickets`: the support queue from the command line, acting as a support account."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from memo_coach.cli.shared import _echo_json, _fail, _runtime, _with_session
from memo_coach.db.base import utcnow
from memo_coach.errors import Forbidden
from memo_coach.support.actions import add_action, complete_action, list_actions
from memo_coach.support.models import CLOSED, RESOLVED
from memo_coach.support.tickets import desk
from memo_coach.support.tickets import service as tickets
from memo_coach.support.tickets.printable import one_line, printable

tickets_app = typer.Typer(help="Support tickets: list, read, answer, assign, close.", no_args_is_help=True)
ACTOR = typer.Option("--as", help="the support account acting (needs the support role or above)")


def _say(text: str, **style) -> None:
    """Every line goes out through `printable`: ticket text is the writer's, and a terminal obeys escape codes."""
    typer.secho(printable(text), **style)


def _support_user(session, username: str):
    user = tickets.find_user(session, username)
    if not tickets.is_support(user):
        raise Forbidden(f"{username} does not have the support role")
    return user


@tickets_app.command("list")
def tickets_list(
    status: Annotated[str, typer.Option(help="open, or new, triaged, waiting_on_writer, resolved, closed")] = "open",
    actor: Annotated[str, ACTOR] = "admin",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Tickets, newest first; overdue ones are marked."""

    def run(session):
        viewer = _support_user(session, actor)
        return desk.summaries(session, tickets.list_tickets(session, viewer, status=status or None), utcnow())

    rows = _with_session(run)
    if as_json:
        return _echo_json(rows)
    for t in rows:
        late = f"  OVERDUE ({', '.join(t['overdue'])})" if t["overdue"] else ""
        _say(
            f"#{t['id']:<5} {t['priority']:<7} {t['status']:<18} {t['category']:<20} {t['writer'] or '-':<14} "
            f"{one_line(t['summary'])[:60]}{late}"
        )


@tickets_app.command("show")
def tickets_show(
    ticket_id: int, actor: Annotated[str, ACTOR] = "admin", as_json: Annotated[bool, typer.Option("--json")] = False
) -> None:
    """One ticket with its context and conversation."""

    def run(session):
        viewer = _support_user(session, actor)
        return desk.detail(session, tickets.get_ticket(session, ticket_id, viewer), viewer, utcnow())

    t = _with_session(run)
    if as_json:
        return _echo_json(t)
    _say(f"#{t['id']} {one_line(t['summary'])}", bold=True)
    _say(f"{t['status']} · {t['priority']} · {t['category']} · cause {t['cause'] or '-'} · from {t['writer']}")
    _say(f"assigned to {t['assignee'] or 'nobody'}; first response due {t['first_response_due']}")
    if t["incident"]:
        _say(f"linked incident: {t['incident']}")
    _say(f"context: {t['context']}\n\n{t['description']}\n")
    for m in t["messages"]:
        _say(f"--- {m['side']} {m['author'] or ''} at {m['at']}\n{m['body']}\n")


@tickets_app.command("reply")
def tickets_reply(ticket_id: int, message: str, actor: Annotated[str, ACTOR] = "admin") -> None:
    """Answer the writer (shown under My tickets; emailed when SMTP is configured)."""
    settings = _runtime().settings

    def run(session):
        author = _support_user(session, actor)
        desk.answer(session, settings, tickets.get_ticket(session, ticket_id, author), author, message, utcnow())

    _with_session(run)
    typer.echo(f"replied to #{ticket_id}")


@tickets_app.command("assign")
def tickets_assign(ticket_id: int, assignee: str, actor: Annotated[str, ACTOR] = "admin") -> None:
    """Give the ticket to a support account."""

    def run(session):
        user = _support_user(session, actor)
        ticket = tickets.get_ticket(session, ticket_id, user)
        tickets.assign(session, ticket, tickets.find_user(session, assignee), user, utcnow())

    _with_session(run)
    typer.echo(f"#{ticket_id} assigned to {assignee}")


@tickets_app.command("close")
def tickets_close(
    ticket_id: int,
    actor: Annotated[str, ACTOR] = "admin",
    resolve_only: Annotated[
        bool, typer.Option("--resolve", help="mark resolved (the writer is asked to rate)")
    ] = False,
) -> None:
    """Close the ticket (or only mark it resolved)."""
    status = RESOLVED if resolve_only else CLOSED

    def run(session):
        user = _support_user(session, actor)
        tickets.set_status(session, tickets.get_ticket(session, ticket_id, user), status, user, utcnow())

    _with_session(run)
    typer.echo(f"#{ticket_id} {status}")


@tickets_app.command("follow-up")
def tickets_follow_up(
    title: str,
    ticket_id: Annotated[int | None, typer.Option("--ticket", help="the ticket it came from")] = None,
    due: Annotated[str | None, typer.Option(help="due date, YYYY-MM-DD (UTC)")] = None,
    actor: Annotated[str, ACTOR] = "admin",
) -> None:
    """Record a follow-up action (the monthly process review lists open, done and overdue ones)."""
    due_at = _due(due)

    def run(session):
        user = _support_user(session, actor)
        return add_action(session, title, user.username, utcnow(), ticket_id, due_at).id

    typer.echo(f"action {_with_session(run)} recorded")


@tickets_app.command("follow-ups")
def tickets_follow_ups(all_actions: Annotated[bool, typer.Option("--all", help="include done ones")] = False) -> None:
    """Follow-up actions, soonest due first."""
    rows = _with_session(
        lambda s: [
            (a.id, a.title, a.due_at, a.done_at, a.ticket_id) for a in list_actions(s, open_only=not all_actions)
        ]
    )
    for action_id, title, due_at, done_at, ticket_id in rows:
        state = f"done {done_at:%Y-%m-%d}" if done_at else f"due {due_at:%Y-%m-%d}" if due_at else "no due date"
        _say(f"{action_id:<5} {state:<16} {one_line(title)}" + (f"  (ticket #{ticket_id})" if ticket_id else ""))


@tickets_app.command("follow-up-done")
def tickets_follow_up_done(action_id: int) -> None:
    """Mark a follow-up action done."""
    _with_session(lambda s: complete_action(s, action_id, utcnow()))
    typer.echo(f"action {action_id} done")


def _due(value: str | None):
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        _fail(f"--due must be a date like 2026-12-31, not {value!r}")
