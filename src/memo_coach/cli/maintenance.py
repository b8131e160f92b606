"""`memo-coach maintenance` and `memo-coach archive`: maintenance mode and windows, archived rows."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from memo_coach.cli.shared import CLI_ACTOR, _echo_json, _fail, _guarded, _runtime
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.mode import service as maintenance
from memo_coach.maintenance.upkeep.archive import archive_view, list_archives, restore_archive

maintenance_app = typer.Typer(help="Maintenance mode and windows.", no_args_is_help=True)
archive_app = typer.Typer(help="Archived rows.", no_args_is_help=True)


def _aware(value: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        _fail(f"{field}: not an ISO 8601 time: {value!r}")
    if parsed.tzinfo is None:
        _fail(f"{field}: give a UTC offset, e.g. {value}+00:00")
    return parsed


@maintenance_app.command("on")
def maintenance_on(
    message: Annotated[str, typer.Option(help="what writers see in the banner")],
    until: Annotated[str | None, typer.Option(help="ISO 8601 end, with offset")] = None,
) -> None:
    """Hold writers off now (operators keep access)."""
    end = _aware(until, "--until") if until else None
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        window = _guarded(lambda: maintenance.switch_on(session, CLI_ACTOR, message, end))
        typer.echo(f"maintenance on (window {window.id})" + (f" until {end.isoformat()}" if end else ""))


@maintenance_app.command("off")
def maintenance_off() -> None:
    """End maintenance now."""
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        typer.echo(f"maintenance off ({maintenance.switch_off(session, CLI_ACTOR)} window(s) ended)")


@maintenance_app.command("status")
def maintenance_status() -> None:
    """Whether maintenance is on, and the windows ahead."""
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        _echo_json(
            {
                "now": maintenance.maintenance_state(session).to_dict(),
                "windows": [maintenance.window_view(w) for w in maintenance.upcoming_windows(session, utcnow())],
            }
        )


@maintenance_app.command("schedule")
def maintenance_schedule(
    start: Annotated[str, typer.Option(help="ISO 8601 start, with offset")],
    end: Annotated[str, typer.Option(help="ISO 8601 end, with offset")],
    message: Annotated[str, typer.Option(help="what writers see")],
) -> None:
    """Plan a maintenance window ahead."""
    starts, ends = _aware(start, "--start"), _aware(end, "--end")
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        window = _guarded(lambda: maintenance.schedule_window(session, CLI_ACTOR, starts, ends, message))
        typer.echo(f"window {window.id} planned: {starts.isoformat()} - {ends.isoformat()}")


@archive_app.command("list")
def archive_list() -> None:
    """Archive files of rows past their retention."""
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        for a in map(archive_view, list_archives(session)):
            typer.echo(
                f"{a['id']:>4} {a['kind']:<16} {a['rows']:>8} rows  older than {a['older_than'][:10]}  {a['file']}"
            )


@archive_app.command("restore")
def archive_restore(archive_id: int) -> None:
    """Load an archive's rows back into the database."""
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        rows = _guarded(lambda: restore_archive(session, archive_id))
    typer.echo(f"restored {rows} rows from archive {archive_id}")
