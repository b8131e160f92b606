"""Helpers every `memo-coach` command group shares: readiness, a session per command, failing in words."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from memo_coach.bootstrap import initialise
from memo_coach.config_store.loader import ConfigError
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.errors import AppError
from memo_coach.maintenance.scheduler.loop import runner_name
from memo_coach.maintenance.scheduler.runner import Runtime
from memo_coach.settings import get_settings

CLI_ACTOR = "cli"


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg="red", err=True)
    raise typer.Exit(1)


def _ready():
    """Brings the database to a runnable state and prints a first admin password exactly once."""
    settings = get_settings()
    try:
        result = initialise(settings)
    except ConfigError as exc:
        _fail(f"invalid configuration:\n{exc}")
    for refused in result.refused_files:
        typer.secho(f"warning: refused, the database's active version serves instead: {refused}", fg="yellow", err=True)
    if result.admin_password:
        typer.secho("\n  First start: created the admin account.", bold=True)
        typer.secho(f"    username: admin\n    password: {result.admin_password}", bold=True)
        typer.secho("  It is shown only now; change it after signing in (the Account page).\n", bold=True)
    if result.first_backup is not None:
        first = result.first_backup
        verdict = "verified" if first.ok else f"FAILED verification: {first.reason}"
        typer.echo(f"first backup {first.backup_id}: {verdict}", err=not first.ok)
    return settings, result


def _sessions(settings):
    return make_session_factory(make_engine(settings.sqlalchemy_url))


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {file}: {exc}")


def _with_session(action):
    settings, _ = _ready()
    with session_scope(_sessions(settings)) as session:
        try:
            return action(session)
        except AppError as exc:
            session.rollback()
            _fail(exc.message)


def _runtime() -> Runtime:
    """The database ready, and the settings, engine and sessions a maintenance command runs with."""
    settings, _ = _ready()
    engine = make_engine(settings.sqlalchemy_url)
    return Runtime(settings, engine, make_session_factory(engine), runner_name())


def _guarded(action):
    try:
        return action()
    except AppError as exc:
        _fail(exc.message)


def _echo_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))
