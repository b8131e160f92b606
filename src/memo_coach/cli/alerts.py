"""`memo-coach alerts`: rule states, a test notification, and the rules exported for Prometheus."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from memo_coach.cli.shared import _echo_json, _guarded, _runtime
from memo_coach.config_store.versions import read_active
from memo_coach.db.engine import session_scope
from memo_coach.incidents.alert_list import alert_rows
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.notify import send_test
from memo_coach.incidents.prometheus_export import export

alerts_app = typer.Typer(help="Alert rules: states, test notifications, Prometheus export.", no_args_is_help=True)


@alerts_app.command("list")
def list_alerts() -> None:
    """Every rule the console shows (SLO burn-rate rules included): severity, state now (inactive,
    pending, firing; held in maintenance), its value against its threshold, and its runbook."""
    with session_scope(_runtime().sessions) as session:
        rows = alert_rows(session, read_active(session, MonitoringConfig))
    typer.echo(f"{'RULE':<32} {'SEV':<4} {'STATE':<16} {'VALUE':<52} RUNBOOK")
    for row in rows:
        state = row["state"] + (" (held)" if row["held"] else "")
        typer.echo(f"{row['rule']:<32} {row['severity']:<4} {state:<16} {row['value_text']:<52} {row['runbook']}")


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
