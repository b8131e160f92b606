"""`memo-coach alerts`: rule states, a test notification, and the rules exported for Prometheus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from memo_coach.cli.shared import _echo_json, _guarded, _runtime
from memo_coach.config_store.versions import read_active
from memo_coach.db.engine import session_scope
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.models import AlertState
from memo_coach.incidents.notify import send_test
from memo_coach.incidents.prometheus_export import export

alerts_app = typer.Typer(help="Alert rules: states, test notifications, Prometheus export.", no_args_is_help=True)


@alerts_app.command("list")
def list_alerts() -> None:
    """Every rule: severity, state now (inactive, pending, firing; held in maintenance) and its value."""
    with session_scope(_runtime().sessions) as session:
        states = {s.rule: s for s in session.scalars(select(AlertState))}
        for rule in read_active(session, MonitoringConfig).rules:
            s = states.get(rule.name)
            state = (s.state + (" (held)" if s.held else "")) if s else "inactive"
            value = "" if s is None or s.value is None else f"{s.value:.4g}"
            typer.echo(f"{rule.name:<28} {rule.severity} {state:<16} {value:<10} {rule.runbook}")


@alerts_app.command("test")
def test(channel: Annotated[str, typer.Argument(help="a channel name from monitoring.yaml")]) -> None:
    """Send a test notification to one channel now; exit 1 unless it was delivered."""
    with session_scope(_runtime().sessions) as session:
        row = _guarded(lambda: send_test(session, read_active(session, MonitoringConfig), channel))
        status, error = row.status, row.last_error
    typer.echo(f"{channel}: {status}" + (f" ({error})" if error else ""))
    if status != "sent":
        raise typer.Exit(1)


@alerts_app.command("export-prometheus")
def export_prometheus(
    out: Annotated[Path, typer.Argument(help="directory to write the files into")],
    app_url: Annotated[str, typer.Option(help="where Alertmanager reaches this app")] = "http://127.0.0.1:8000",
    token_file: Annotated[
        str, typer.Option(help="file holding MEMO_COACH_ALERTMANAGER_TOKEN, read by Alertmanager")
    ] = "/etc/prometheus/memo_coach_alertmanager_token",
) -> None:
    """Rule files equivalent to the built-in rules, their promtool tests, and an Alertmanager config."""
    with session_scope(_runtime().sessions) as session:
        result = export(read_active(session, MonitoringConfig), out, app_url, token_file)
    _echo_json(result)
