"""`memo-coach audit`: verify the hash chain and export the trail (CSV or JSON) for an auditor."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from memo_coach.audit.verify import chain_report
from memo_coach.cli.shared import CLI_ACTOR, _echo_json, _fail, _with_session
from memo_coach.security.audit_log import FORMATS, AuditFilter, export

audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)


@audit_app.command("verify")
def verify(as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False) -> None:
    """Check every event's hash, link and seal, and the anchored heads; exit 1 and name each break when
    the chain is not intact."""
    report = _with_session(chain_report)
    if as_json:
        _echo_json(report)
    elif report["intact"]:
        typer.secho(f"audit chain intact: {report['events']} events", fg="green")
        typer.echo(provenance(report))
    else:
        for item in report["breaks"]:
            typer.secho(f"event {item['event_id']}: {item['kind']}: {item['message']}", fg="red")
    if not report["intact"]:
        raise typer.Exit(1)


def provenance(report: dict) -> str:
    """What the verdict rests on: from which event seals were checked, and the last anchor."""
    sealed = report["sealed_from_event"]
    seals = f"sealed from event {sealed}" if sealed else "no sealed event yet"
    anchor = report["latest_anchor"]
    anchored = (
        f"head last anchored at {anchor['at']} as event {anchor['event_id']} ({anchor['reason']})"
        if anchor
        else "no anchor yet"
    )
    return f"{seals}; {anchored}"


def _when(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        _fail(f"--{name} must be an ISO date or time, e.g. 2026-11-01 or 2026-11-01T08:00:00+00:00")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # times are UTC unless they say otherwise


@audit_app.command("export")
def export_events(
    fmt: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
    output: Annotated[Path | None, typer.Option(help="file to write; standard output when omitted")] = None,
    actor: Annotated[str | None, typer.Option(help="only this actor")] = None,
    action: Annotated[str | None, typer.Option(help="only actions starting with this, e.g. user.")] = None,
    since: Annotated[str | None, typer.Option(help="from this time (ISO)")] = None,
    until: Annotated[str | None, typer.Option(help="before this time (ISO)")] = None,
) -> None:
    """Export audit events with their hashes, oldest first."""
    if fmt not in FORMATS:
        _fail(f"--format must be one of {', '.join(FORMATS)}")
    where = AuditFilter(actor=actor, action=action, since=_when(since, "since"), until=_when(until, "until"))
    text = _with_session(lambda s: export(s, where, fmt, actor=CLI_ACTOR))
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    output.chmod(0o600)
    typer.echo(f"written to {output}")
