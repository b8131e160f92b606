"""`memo-coach doctor`: the first thing to run when something is wrong; it works when the server does not.

It neither starts nor migrates anything: it opens the database read-mostly, with short timeouts,
and answers within about a second even while the LLM or the database hangs (a few seconds when the LLM
answers: it waits for one short real answer, which must parse).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from memo_coach.cli.shared import _as_is
from memo_coach.support.doctor.result import FAIL
from memo_coach.support.doctor.runner import MAX_BUDGET_SECONDS, MIN_BUDGET_SECONDS, build_context, run_doctor

EXIT_FAIL = 2
COLOURS = {"OK": "green", "WARN": "yellow", "FAIL": "red"}


def print_report(report: dict) -> None:
    for check in report["checks"]:
        typer.secho(f"{check['status']:<5}", fg=COLOURS[check["status"]], bold=True, nl=False)
        typer.echo(f" {check['name']:<20} {check['summary']}")
        if check["status"] != "OK":
            typer.echo(f"      fix: {check['fix']}")
            typer.echo(f"      runbook: {check['runbook']}")
    typer.secho(f"\n{report['status']} (checked in {report['seconds']:.2f} s)", fg=COLOURS[report["status"]], bold=True)


def doctor(
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="skip the call to the LLM provider")] = False,
    budget: Annotated[
        float | None,
        typer.Option(
            "--budget",
            min=MIN_BUDGET_SECONDS,
            max=MAX_BUDGET_SECONDS,
            help="seconds to wait for the slowest check (default: doctor.budget_seconds of support.yaml)",
        ),
    ] = None,
) -> None:
    """Check the installation: each check OK, WARN or FAIL with the fix and the runbook; exit 2 on FAIL."""
    report = run_doctor(build_context(_as_is().settings, offline=offline), budget)
    if as_json:
        typer.echo(json.dumps(report, indent=2, default=str))
    else:
        print_report(report)
    if report["status"] == FAIL:
        raise typer.Exit(EXIT_FAIL)
