"""What every `memo-coach` command shares: its runtime, a session per command, failing in words.

A command runs on one `Runtime` (runtime.py), made on first use and stopped when the command ends;
most commands bring the database to a runnable state first (`_runtime()`), while those that must
work on a broken installation (health, status, doctor, support-bundle) read it as it is.
"""

from __future__ import annotations

import json
import os
import pwd
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import typer

from memo_coach.bootstrap import initialise
from memo_coach.config_store.loader import ConfigError
from memo_coach.db.engine import session_scope
from memo_coach.errors import AppError
from memo_coach.runtime import Purpose, Runtime
from memo_coach.settings import get_settings


def _shell_account() -> str:
    """The Unix account this command runs as, by its effective uid ($USER is whatever the caller sets)."""
    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # a uid with no passwd entry (some containers)
        return f"uid {os.geteuid()}"


# Who acts from a shell, in every record a command leaves: a shell is an operator of the host, not an
# admin, so it never acts under an admin's name (docs/security.md, "Who is trusted with what").
CLI_ACTOR = f"shell:{_shell_account()}"


def claimed_by(name: str) -> str:
    """The actor to record for a name given on the command line: a claim the shell makes, not a proof,
    so the record keeps the shell account beside it ("dana (shell:ops)")."""
    return name if name == CLI_ACTOR else f"{name[:40]} ({CLI_ACTOR})"[:64]


@dataclass
class _Command:
    runtime: Runtime
    initialised: bool = False


# The running command's runtime: made on first use, stopped by `end_command` (cli/main.py registers it).
_command: ContextVar[_Command | None] = ContextVar("memo_coach_command", default=None)


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg="red", err=True)
    raise typer.Exit(1)


def _as_is(purpose: Purpose = Purpose.COMMAND) -> Runtime:
    """This command's runtime, the database as it is (no initialising)."""
    command = _command.get()
    if command is None:
        command = _Command(Runtime(get_settings(), purpose))
        _command.set(command)
    return command.runtime


def _runtime(purpose: Purpose = Purpose.COMMAND) -> Runtime:
    """This command's runtime, the database brought to a runnable state first (once per command); prints a
    first admin password exactly once."""
    runtime = _as_is(purpose)
    command = _command.get()
    if not command.initialised:
        command.initialised = True
        _initialise(runtime)
    return runtime


def end_command() -> None:
    """Stops the command's runtime, if it made one: its engine, child processes and loops end with it."""
    command = _command.get()
    if command is not None:
        _command.set(None)
        command.runtime.stop()


def _initialise(runtime: Runtime):
    try:
        result = initialise(runtime)
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
    return result


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {file}: {exc}")


def _with_session(action):
    with session_scope(_runtime().sessions) as session:
        try:
            return action(session)
        except AppError as exc:
            session.rollback()
            _fail(exc.message)


def _guarded(action):
    try:
        return action()
    except AppError as exc:
        _fail(exc.message)


def _echo_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))
