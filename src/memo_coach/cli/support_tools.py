"""`memo-coach support-bundle` and `memo-coach logs search`: what an operator gathers to find a problem."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from memo_coach.cli.shared import _as_is, _echo_json, _fail, _guarded
from memo_coach.db.base import utcnow
from memo_coach.support.bundle import write_bundle
from memo_coach.support.doctor.runner import build_context, run_doctor
from memo_coach.support.log_search import LogQuery, parse_time, search_logs

logs_app = typer.Typer(help="Search this replica's JSON log lines.", no_args_is_help=True)


def support_bundle(
    output: Annotated[
        Path | None, typer.Option(help="archive path; default DATA_DIR/support/support-bundle-TIME.tar.gz")
    ] = None,
    offline: Annotated[bool, typer.Option("--offline", help="skip the doctor's call to the LLM provider")] = False,
) -> None:
    """One archive (mode 0600) with doctor, health, versions, redacted configuration, recent logs, task runs
    and incidents; no secret, token, writer's text or name typed at a failed sign-in."""
    runtime = _as_is()
    settings = runtime.settings
    doctor = run_doctor(build_context(settings, offline=offline))
    obs = runtime.observability
    try:
        health = obs.health.report(replace(obs.context(), evaluators=None))  # the doctor asked the LLM already
        path, counts = write_bundle(
            settings, runtime.sessions, utcnow(), {"doctor.json": doctor, "health.json": health}, output
        )
    except Exception as exc:  # the database may be what is broken: say so instead of a traceback
        _fail(f"could not make the bundle: {type(exc).__name__}: {exc}")
    typer.echo(f"wrote {path}")
    typer.echo(
        f"removed {counts['secrets_and_tokens']} secrets or tokens, {counts['writers_text']} passages of writers' text "
        f"and {counts['typed_names']} names typed at failed sign-ins"
    )


@logs_app.command("search")
def logs_search(
    request_id: Annotated[str | None, typer.Option("--request-id", help="every line one request wrote")] = None,
    level: Annotated[str | None, typer.Option(help="this level and above: DEBUG, INFO, WARNING, ERROR")] = None,
    since: Annotated[str | None, typer.Option(help="ISO time with offset, e.g. 2026-12-01T10:00:00+00:00")] = None,
    until: Annotated[str | None, typer.Option(help="ISO time with offset")] = None,
    route: Annotated[str | None, typer.Option(help="route template or its start, e.g. /api/v1/evaluations")] = None,
    user_id: Annotated[int | None, typer.Option("--user-id", help="the account's id (access lines)")] = None,
    text: Annotated[str | None, typer.Option(help="words in the message")] = None,
    limit: Annotated[int, typer.Option(help="most lines shown, newest first")] = 100,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Search the log files by request id, level, time range, route and user."""

    def run():
        query = LogQuery(
            request_id, level, parse_time(since, "since"), parse_time(until, "until"), route, user_id, text, limit
        )
        return search_logs(_as_is().settings, query)

    result = _guarded(run)
    if as_json:
        return _echo_json(result)
    for entry in result["lines"]:
        extras = {
            k: v for k, v in entry.items() if k not in ("time", "level", "message", "request_id", "logger", "traceback")
        }
        typer.echo(
            f"{entry.get('time')} {entry.get('level', ''):<7} {entry.get('request_id')} {entry.get('message')} {extras}"
        )
    more = " (more matched: narrow the search)" if result["truncated"] else ""
    typer.echo(f"{len(result['lines'])} lines{more}")
