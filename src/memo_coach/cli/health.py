"""`memo-coach health` and `memo-coach status`: the ops console's data on the command line.

They read the database directly (no server needed), so they work when the web server does not.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from memo_coach.cli.shared import _as_is
from memo_coach.component_status import UNHEALTHY
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.observability.console import CHARTS, capacity_facts, chart_said, overview
from memo_coach.observability.history.series import WINDOWS
from memo_coach.observability.monitor import Observability
from memo_coach.observability.units import SECONDS, human

EXIT_UNHEALTHY = 2
COLOURS = {"healthy": "green", "degraded": "yellow", "unhealthy": "red"}


def _observability() -> Observability:
    """The database as it is: health and status must answer on an installation that cannot start."""
    return _as_is().observability


def _print_components(report: dict) -> None:
    typer.secho(f"overall: {report['status']}", fg=COLOURS[report["status"]], bold=True)
    for c in report["components"]:
        critical = " (critical)" if c["critical"] else ""
        typer.echo(f"  {c['name']:<10} ", nl=False)
        typer.secho(f"{c['status']:<10}", fg=COLOURS[c["status"]], nl=False)
        typer.echo(f" {human(c['latency_ms'] / 1000, SECONDS):>8}  {c['reason']}{critical}")
        if c.get("fix"):
            typer.echo(f"  {'':<10} {'':<10} {'':>8}  fix: {c['fix']}")


def health(as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False) -> None:
    """Check every component now; exit status 2 when one is unhealthy (degraded still exits 0)."""
    obs = _observability()
    report = obs.health.report(obs.context())
    if as_json:
        typer.echo(json.dumps(report, indent=2, default=str))
    else:
        _print_components(report)
    if report["status"] == UNHEALTHY:
        raise typer.Exit(EXIT_UNHEALTHY)


def status(
    window: Annotated[str, typer.Option(help="1h, 24h, 7d or 30d")] = "24h",
    as_json: Annotated[bool, typer.Option("--json", help="print the overview as JSON")] = False,
) -> None:
    """Summary: components, trends over the window, top errors, satisfaction, capacity, regressions."""
    if window not in WINDOWS:
        typer.secho(f"error: unknown window {window!r}; use one of {', '.join(WINDOWS)}", fg="red", err=True)
        raise typer.Exit(1)
    obs = _observability()
    with session_scope(obs.sessions) as session:
        data = overview(session, obs, window, utcnow())
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str))
        return
    _print_components(data["health"])
    _print_overview(data)
    regressed = [c["metric"] for c in data["degradation"]["checks"] if c["regressed"]]
    typer.echo(f"\nregressions against last week: {', '.join(regressed) or 'none'}")


def _print_overview(data: dict) -> None:
    """The console's numbers in the console's words (observability/console.py): a level by its latest
    value, the rest by their mean; capacity projected only where the history allows it."""
    typer.secho(f"\nlast {data['window']}:", bold=True)
    for name, title in CHARTS.items():
        typer.echo(f"  {title:<26} {chart_said(name, data['charts'][name])}")
    errors = ", ".join(f"{kind} ~{count:.0f}" for kind, count in list(data["top_errors"].items())[:5])
    typer.echo(f"\ntop errors: {errors or 'none'}")
    sat = data["satisfaction"]
    helpful = f"{sat['helpful']} of {sat['ratings']} helpful" if sat["ratings"] else "no ratings yet"
    typer.echo(f"satisfaction ({sat['days']} days): {helpful}")
    typer.secho("\ncapacity:", bold=True)
    for label, text in capacity_facts(data["capacity"]).items():
        typer.echo(f"  {label:<14} {text}")
