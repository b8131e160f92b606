"""`memo-coach users`: accounts, roles and passwords from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from memo_coach.auth import users as user_service
from memo_coach.auth.roles import Role
from memo_coach.cli.shared import CLI_ACTOR, _with_session

users_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)


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
    """Give an account a new random password (printed once) and end its sessions; under the two-person
    rule an admin's reset waits for an admin's approval on the users page, and that admin sees it."""
    pw = _with_session(lambda s: user_service.reset_password(s, username, None, actor=CLI_ACTOR))
    if pw is None:
        typer.echo(f"the password reset of {username} waits for an admin's approval (the users page)")
        return
    typer.echo(f"new password for {username}: {pw}")


@users_app.command("change-password")
def users_change_password(
    username: str,
    current: Annotated[str, typer.Option(prompt=True, hide_input=True, help="the current password")],
    new: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="the new password")],
) -> None:
    """Change your own password (the current one proves it is you); every session of the account ends."""
    _with_session(
        lambda s: user_service.change_own_password(
            s, user_service.get_user(s, username), current, new, keep_token_hash=None
        )
    )
    typer.echo(f"password changed for {username}")
