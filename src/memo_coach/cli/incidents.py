"""`memo-coach incidents`: list, show, acknowledge, annotate, resolve and review incidents."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from memo_coach.cli.shared import CLI_ACTOR, _echo_json, _fail, _guarded, _runtime, claimed_by
from memo_coach.config_store.versions import read_active
from memo_coach.db.engine import session_scope
from memo_coach.incidents import reviews, service
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.models import INTERNAL, MITIGATED, PUBLIC, Incident
from memo_coach.incidents.status import incident_view
from memo_coach.incidents.timeline import assembled_timeline

incidents_app = typer.Typer(
    help="Incidents: list, show, acknowledge, mitigate, note, publish or hide, resolve, review.", no_args_is_help=True
)
Actor = Annotated[
    str, typer.Option("--as", help="who acts (recorded on the timeline beside the shell account)", callback=claimed_by)
]


def _incident(session, incident_id: int) -> Incident:
    return _guarded(lambda: service.get_incident(session, incident_id))


@incidents_app.command("list")
def list_incidents(
    all_: Annotated[bool, typer.Option("--all", help="resolved and reviewed ones too")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Open incidents, gravest first (or the last 100 with --all)."""
    with session_scope(_runtime().sessions) as session:
        query = select(Incident).order_by(Incident.severity, Incident.opened_at.desc()).limit(100)
        if not all_:
            query = query.where(Incident.status.in_(service.OPEN_STATES))
        rows = [incident_view(i) for i in session.scalars(query)]
    if as_json:
        _echo_json(rows)
        return
    for i in rows:
        typer.echo(f"#{i['id']:<5} {i['severity']} {i['status']:<13} {i['opened_at'][:16]}  {i['title']}")
    if not rows:
        typer.echo("no open incidents" if not all_ else "no incidents")


@incidents_app.command("show")
def show(incident_id: int) -> None:
    """One incident with its assembled timeline."""
    with session_scope(_runtime().sessions) as session:
        incident = _incident(session, incident_id)
        view, timeline = incident_view(incident), assembled_timeline(session, incident)
    typer.echo(f"#{view['id']} {view['severity']} {view['status']}: {view['title']} ({view['component']})")
    typer.echo(f"  writers see: {view['public_title'] if view['visibility'] == PUBLIC else 'nothing (internal)'}")
    for e in timeline:
        typer.echo(f"  {e['at'][:19]}  {e['kind']:<14} {e['message']}  ({e['actor']})")


@incidents_app.command("ack")
def ack(incident_id: int, actor: Actor = CLI_ACTOR) -> None:
    """Acknowledge: stops the escalation clock."""
    with session_scope(_runtime().sessions) as session:
        incident = _guarded(lambda: service.acknowledge(session, _incident(session, incident_id), actor))
        typer.echo(f"#{incident.id} {incident.status}")


@incidents_app.command("mitigate")
def mitigate(
    incident_id: int,
    note: Annotated[str, typer.Option(help="what was done to stop the harm (on the timeline)")] = "",
    actor: Actor = CLI_ACTOR,
) -> None:
    """Mark the incident mitigated: the harm has stopped, the cause may not be fixed yet."""
    with session_scope(_runtime().sessions) as session:
        incident = _incident(session, incident_id)
        _guarded(lambda: service.set_status(session, incident, MITIGATED, actor, note.strip()))
        typer.echo(f"#{incident_id} {incident.status}")


@incidents_app.command("note")
def note(
    incident_id: int,
    message: str,
    public: Annotated[bool, typer.Option("--public", help="show it on the status page")] = False,
    actor: Actor = CLI_ACTOR,
) -> None:
    """Add an internal note, or (--public) an update writers see."""
    with session_scope(_runtime().sessions) as session:
        _guarded(lambda: service.add_note(session, _incident(session, incident_id), actor, message, public))
        typer.echo(f"#{incident_id}: {'public update' if public else 'note'} added")


@incidents_app.command("publish")
def publish(
    incident_id: int,
    public_title: Annotated[str, typer.Argument(help="what writers read (the title is for operators)")],
    actor: Actor = CLI_ACTOR,
) -> None:
    """Show the incident to writers (status page, feed, banner) under a title written for them."""
    with session_scope(_runtime().sessions) as session:
        incident = _incident(session, incident_id)
        _guarded(lambda: service.set_visibility(session, incident, PUBLIC, public_title, actor))
        typer.echo(f"#{incident_id} public: {incident.public_title}")


@incidents_app.command("hide")
def hide(incident_id: int, actor: Actor = CLI_ACTOR) -> None:
    """Make the incident internal again: only operators see it."""
    with session_scope(_runtime().sessions) as session:
        incident = _incident(session, incident_id)
        _guarded(lambda: service.set_visibility(session, incident, INTERNAL, "", actor))
        typer.echo(f"#{incident_id} internal")


@incidents_app.command("resolve")
def resolve(
    incident_id: int, message: Annotated[str, typer.Option(help="what fixed it")] = "", actor: Actor = CLI_ACTOR
) -> None:
    """Resolve by hand (rule incidents resolve themselves when their alerts clear)."""
    with session_scope(_runtime().sessions) as session:
        config = read_active(session, MonitoringConfig)
        _guarded(lambda: service.resolve(session, config, _incident(session, incident_id), actor, message))
        typer.echo(f"#{incident_id} resolved")


@incidents_app.command("review")
def review(
    incident_id: int,
    root_cause: Annotated[str | None, typer.Option(help="what caused it")] = None,
    went_well: Annotated[str | None, typer.Option()] = None,
    went_badly: Annotated[str | None, typer.Option()] = None,
    action: Annotated[str | None, typer.Option(help="an action item: TEXT")] = None,
    owner: Annotated[str | None, typer.Option(help="the action item's owner")] = None,
    due: Annotated[str | None, typer.Option(help="the action item's due date, YYYY-MM-DD")] = None,
    done: Annotated[bool, typer.Option("--done", help="mark the incident reviewed")] = False,
    markdown: Annotated[Path | None, typer.Option(help="write the review as Markdown to this file")] = None,
    actor: Actor = CLI_ACTOR,
) -> None:
    """Fill in the post-incident review, add an action item, export it, or close the incident as reviewed."""
    with session_scope(_runtime().sessions) as session:
        incident = _incident(session, incident_id)
        fields = {
            k: v
            for k, v in (("root_cause", root_cause), ("went_well", went_well), ("went_badly", went_badly))
            if v is not None
        }
        if fields:
            _guarded(lambda: reviews.save_review(session, incident, actor, **fields))
        if action:
            if not owner or not due:
                _fail("an action item needs --owner and --due")
            try:
                due_date = date.fromisoformat(due)
            except ValueError:
                _fail(f"--due: not a date: {due!r}")
            _guarded(lambda: reviews.add_action_item(session, incident, action, owner, due_date))
        if done:
            session.flush()
            _guarded(lambda: service.mark_reviewed(session, incident, actor))
        text = reviews.review_markdown(session, incident)
    if markdown:
        markdown.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {markdown}")
    else:
        typer.echo(text)
