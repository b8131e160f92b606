"""The memo-coach command line: thin calls into the same service functions the API uses."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from memo_coach.auth import users as user_service
from memo_coach.auth.roles import Role
from memo_coach.cli_config import config_app
from memo_coach.cli_support import CLI_ACTOR, _fail, _read, _ready, _with_session
from memo_coach.db.engine import session_scope
from memo_coach.errors import AppError
from memo_coach.ops import commands as ops_commands

app = typer.Typer(help="Memo AI Coach: feedback on business memos.", no_args_is_help=True)
users_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(config_app, name="config")
app.command("health")(ops_commands.health)
app.command("status")(ops_commands.status)


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
        "memo_coach.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=False,
    )


@app.command()
def evaluate(
    file: Annotated[Path, typer.Argument(help="memo text file, or - for standard input")],
    user: Annotated[str, typer.Option(help="store the evaluation under this account")] = "admin",
    as_json: Annotated[bool, typer.Option("--json", help="print the full evaluation as JSON")] = False,
) -> None:
    """Evaluate a memo and store it, like the API does."""
    from memo_coach.app import create_app
    from memo_coach.coaching.service import evaluation_view

    settings, _ = _ready()
    text = sys.stdin.read() if str(file) == "-" else _read(file)
    coach = create_app(settings).state.coach
    with session_scope(coach.sessions) as session:
        try:
            owner = user_service.get_user(session, user)
        except AppError as exc:
            _fail(exc.message)
    try:
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


@users_app.command("create")
def users_create(
    username: str,
    role: Annotated[Role, typer.Option(help="writer, support, operator or admin")] = Role.writer,
    password: Annotated[str | None, typer.Option(help="generated when omitted", hide_input=True)] = None,
) -> None:
    """Create an account; a generated password is printed once."""
    _, pw = _with_session(lambda s: user_service.create_user(s, username, role, password, actor=CLI_ACTOR))
    typer.echo(f"created {username} ({role.value})" + ("" if password else f"; password: {pw}"))


@users_app.command("list")
def users_list() -> None:
    """List accounts."""
    rows = _with_session(
        lambda s: [(u.username, u.role, u.is_active, u.last_login_at) for u in user_service.list_users(s)]
    )
    for name, role, active, last in rows:
        typer.echo(f"{name:<24} {role:<9} {'active' if active else 'disabled':<9} last sign-in: {last or 'never'}")


@users_app.command("disable")
def users_disable(username: str) -> None:
    """Disable an account and end its sessions."""
    _with_session(lambda s: user_service.set_active(s, username, False, actor=CLI_ACTOR))
    typer.echo(f"disabled {username}")


@users_app.command("enable")
def users_enable(username: str) -> None:
    """Enable a disabled account."""
    _with_session(lambda s: user_service.set_active(s, username, True, actor=CLI_ACTOR))
    typer.echo(f"enabled {username}")


@users_app.command("set-role")
def users_set_role(username: str, role: Role) -> None:
    """Change an account's role."""
    _with_session(lambda s: user_service.set_role(s, username, role, actor=CLI_ACTOR))
    typer.echo(f"{username} is now {role.value}")


@users_app.command("reset-password")
def users_reset_password(username: str) -> None:
    """Give an account a new random password (printed once) and end its sessions."""
    pw = _with_session(lambda s: user_service.reset_password(s, username, None, actor=CLI_ACTOR))
    typer.echo(f"new password for {username}: {pw}")


# The operators' commands live in their own module; registered last, once app exists.
from memo_coach import cli_ops  # noqa: E402

cli_ops.register(app)
