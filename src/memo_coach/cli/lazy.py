"""Command groups imported when used, so `memo-coach --help` names every command without loading any.

A command's module pulls in the capabilities it drives (the database layer, the coach, backups…),
about a second of imports in all. Listing the commands needs only their names and one line each,
kept beside the target in `COMMANDS` (a test checks they match the commands' own help).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

import click
import typer
from typer.core import TyperGroup


def load(target: str) -> click.Command:
    """`package.module:attribute`, a Typer app or a command function, as the click command it makes."""
    module, attribute = target.split(":")
    found = getattr(importlib.import_module(module), attribute)
    if isinstance(found, typer.Typer):
        return typer.main.get_group(found)  # a group under the root: no completion options of its own
    single = typer.Typer(add_completion=False)
    single.command()(found)
    return typer.main.get_command(single)


def lazy_group(commands: Mapping[str, tuple[str, str]]) -> type[TyperGroup]:
    """A root group whose commands (name -> (target, one-line help)) load on first use."""

    class LazyGroup(TyperGroup):
        def list_commands(self, ctx: click.Context) -> list[str]:
            return [*super().list_commands(ctx), *commands]

        def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
            if name not in commands:
                return super().get_command(ctx, name)
            # Listing: a stand-in with the name and one line; running it resolves the real command.
            return click.Command(name, help=commands[name][1], short_help=commands[name][1])

        def resolve_command(self, ctx: click.Context, args: list[str]):
            name = click.utils.make_str(args[0])
            if name in commands:
                command = load(commands[name][0])
                command.name = name
                return name, command, args[1:]
            return super().resolve_command(ctx, args)

    return LazyGroup
