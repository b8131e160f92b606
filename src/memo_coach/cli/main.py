"""The memo-coach command line: thin calls into the same service functions the API uses.

Each command's module is imported when that command runs (cli/lazy.py), so `memo-coach --help`
answers at once and a command loads only the capabilities it drives.

The console script (`run`) starts with the garbage collector off: the imports make some 150,000
objects it tracks and hardly any garbage, and collecting over and over while they pile up cost 0.2 to
0.3 s of every command. Once the capabilities are assembled, those objects are frozen out of the
collector's view and it is turned on again, so `serve` and `worker` run with it as usual.
"""

from __future__ import annotations

import gc

import typer

from memo_coach.cli import help_text
from memo_coach.cli.lazy import lazy_group

# name -> (where the command lives, its one-line help as `memo-coach --help` shows it)
COMMANDS = {
    "init": (
        "memo_coach.cli.init:init",
        "Create or upgrade the database, import config/ and create the first admin.",
    ),
    "serve": (
        "memo_coach.cli.serve:serve",
        "Start the web server (initialises the database first).",
    ),
    "evaluate": (
        "memo_coach.cli.evaluate:evaluate",
        "Evaluate a memo and store it, like the API does.",
    ),
    "worker": (
        "memo_coach.cli.tasks:worker",
        "Run the scheduler alone (for deployments that keep it apart from the web processes); it also takes over evaluations whose owner died, like every web process does.",
    ),
    "health": (
        "memo_coach.cli.health:health",
        "Check every component now; exit status 2 when one is unhealthy (degraded still exits 0).",
    ),
    "status": (
        "memo_coach.cli.health:status",
        "Summary: components, trends over the window, top errors, satisfaction, capacity, regressions.",
    ),
    "doctor": (
        "memo_coach.cli.doctor:doctor",
        "Check the installation: each check OK, WARN or FAIL with the fix and the runbook; exit 2 on FAIL.",
    ),
    "support-bundle": (
        "memo_coach.cli.support_tools:support_bundle",
        "One archive (mode 0600) with doctor, health, versions, redacted configuration, recent logs, task runs and incidents; no secret, token, writer's text or name typed at a failed sign-in.",
    ),
    "users": (
        "memo_coach.cli.users:users_app",
        "Manage accounts.",
    ),
    "config": (
        "memo_coach.cli.config:config_app",
        "Validate, change, review and roll back configuration.",
    ),
    "tasks": (
        "memo_coach.cli.tasks:tasks_app",
        "Scheduled maintenance tasks.",
    ),
    "backup": (
        "memo_coach.cli.backup:backup_app",
        "Backups: create, list, verify, restore.",
    ),
    "db": (
        "memo_coach.cli.backup:db_app",
        "Schema migrations.",
    ),
    "maintenance": (
        "memo_coach.cli.maintenance:maintenance_app",
        "Maintenance mode and windows.",
    ),
    "archive": (
        "memo_coach.cli.maintenance:archive_app",
        "Archived rows.",
    ),
    "incidents": (
        "memo_coach.cli.incidents:incidents_app",
        "Incidents: list, show, acknowledge, mitigate, note, publish or hide, resolve, review.",
    ),
    "alerts": (
        "memo_coach.cli.alerts:alerts_app",
        "Alert rules: states, test notifications, Prometheus export.",
    ),
    "audit": (
        "memo_coach.cli.audit:audit_app",
        "The tamper-evident audit trail.",
    ),
    "security": (
        "memo_coach.cli.security:security_app",
        "Security reviews and the compliance report.",
    ),
    "privacy": (
        "memo_coach.cli.security:privacy_app",
        "A writer's data: export and erasure.",
    ),
    "logs": (
        "memo_coach.cli.support_tools:logs_app",
        "Search this replica's JSON log lines.",
    ),
    "tickets": (
        "memo_coach.cli.tickets:tickets_app",
        "Support tickets: list, read, answer, assign, close.",
    ),
}

help_text.install()
app = typer.Typer(cls=lazy_group(COMMANDS), help="Memo AI Coach: feedback on business memos.", no_args_is_help=True)


@app.callback()
def main(ctx: typer.Context) -> None:
    """Memo AI Coach: feedback on business memos."""
    from memo_coach.assembly import assemble  # every capability: only once a command runs
    from memo_coach.cli.shared import end_command

    assemble()
    ctx.call_on_close(end_command)
    if not gc.isenabled():  # started by `run`; an embedding process (a test's CliRunner) keeps its own
        gc.freeze()
        gc.enable()


def run() -> None:
    """The `memo-coach` console script."""
    gc.disable()
    app()
