"""The memo-coach command line: thin calls into the same service functions the API uses."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from memo_coach.assembly import assemble
from memo_coach.auth import users as user_service
from memo_coach.cli import doctor as doctor_command
from memo_coach.cli import health as ops_commands
from memo_coach.cli import help_text, support_tools
from memo_coach.cli.alerts import alerts_app
from memo_coach.cli.audit import audit_app
from memo_coach.cli.backup import backup_app, db_app
from memo_coach.cli.config import config_app
from memo_coach.cli.incidents import incidents_app
from memo_coach.cli.maintenance import archive_app, maintenance_app
from memo_coach.cli.progress import step
from memo_coach.cli.runtime import _fail, _read, _ready, _sessions
from memo_coach.cli.security import privacy_app, security_app
from memo_coach.cli.server_limits import server_limits
from memo_coach.cli.tasks import tasks_app, worker
from memo_coach.cli.tickets import tickets_app
from memo_coach.cli.users import users_app
from memo_coach.db.engine import session_scope
from memo_coach.errors import AppError

help_text.install()
app = typer.Typer(help="Memo AI Coach: feedback on business memos.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(config_app, name="config")
app.command()(worker)
for group, group_name in (
    (tasks_app, "tasks"),
    (backup_app, "backup"),
    (db_app, "db"),
    (maintenance_app, "maintenance"),
    (archive_app, "archive"),
    (incidents_app, "incidents"),
    (alerts_app, "alerts"),
):
    app.add_typer(group, name=group_name)
app.command("health")(ops_commands.health)
app.add_typer(audit_app, name="audit")
app.add_typer(security_app, name="security")
app.add_typer(privacy_app, name="privacy")
app.command("status")(ops_commands.status)
app.command("doctor")(doctor_command.doctor)
app.command("support-bundle")(support_tools.support_bundle)
app.add_typer(support_tools.logs_app, name="logs")
app.add_typer(tickets_app, name="tickets")


@app.callback()
def main() -> None:
    """Memo AI Coach: feedback on business memos."""
    assemble()


@app.command()
def init() -> None:
    """Create or upgrade the database, import config/ and create the first admin."""
    _, result = _ready()
    typer.echo(f"database at revision {result.revision}; imported: {', '.join(result.imported) or 'nothing new'}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address")] = None,
    port: Annotated[int | None, typer.Option(help="port")] = None,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
) -> None:
    """Start the web server (initialises the database first)."""
    import uvicorn

    settings, _ = _ready()
    host, port = host or settings.host, port or settings.port
    typer.echo(f"Memo AI Coach on http://{host}:{port}  (API docs at /docs)")
    uvicorn.run(
        "memo_coach.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
        **server_limits(settings),
        log_config=None,  # the app logs JSON lines; uvicorn's own format would mix plain lines in
    )


@app.command()
def evaluate(
    file: Annotated[Path, typer.Argument(help="memo text file, or - for standard input")],
    user: Annotated[str, typer.Option(help="store the evaluation under this account")] = "admin",
    as_json: Annotated[bool, typer.Option("--json", help="print the full evaluation as JSON")] = False,
) -> None:
    """Evaluate a memo and store it, like the API does."""
    from memo_coach.coaching.evaluators import EvaluatorChoice
    from memo_coach.coaching.service import Coach, evaluation_view

    settings, _ = _ready()
    text = sys.stdin.read() if str(file) == "-" else _read(file)
    coach = Coach(
        _sessions(settings),
        settings.max_memo_chars,
        EvaluatorChoice(settings),
        deadline_seconds=settings.evaluation_deadline_seconds,
        lease_seconds=settings.evaluation_lease_seconds,
    )
    with session_scope(coach.sessions) as session:
        try:
            owner = user_service.get_user(session, user)
        except AppError as exc:
            _fail(exc.message)
    try:
        with step("Evaluating the memo"):
            view = evaluation_view(coach.submit(owner.id, text))
    except AppError as exc:
        _fail(exc.message)
    if as_json:
        typer.echo(json.dumps(view, indent=2, ensure_ascii=False))
    else:
        _print_summary(view)


def _print_summary(view: dict) -> None:
    source = f"{view['provider']}/{view['model']}" + (
        "  (offline fallback: LLM unavailable)" if view["degraded"] else ""
    )
    typer.secho(f"Evaluation {view['id']}: overall {view['overall_score']} / 5   [{source}]", bold=True)
    for item in view["rubric_scores"]:
        typer.echo(f"  {item['name']:<28} {item['score']}  {item['justification']}")
    typer.echo("Strengths:\n" + "\n".join(f"  + {s}" for s in view["strengths"]))
    typer.echo("Opportunities:\n" + "\n".join(f"  - {s}" for s in view["opportunities"]))
    for seg in view["segment_feedback"]:
        typer.echo(f'  > "{seg["quote"][:100]}"\n    {seg["comment"]}')
