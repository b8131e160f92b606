"""Option lists without a type tag on flags.

Typer 0.29 prints every option's type, so a flag reads `--dry-run <bool>` as if it wanted a
value; a flag takes none. Installed once, when the command line is built.
"""

from __future__ import annotations

from typer.core import TyperOption

_type_of = TyperOption.display_type_rich


def _flag_without_type(self: TyperOption, ctx) -> str | None:
    return None if self.is_flag else _type_of(self, ctx)


def install() -> None:
    TyperOption.display_type_rich = _flag_without_type
