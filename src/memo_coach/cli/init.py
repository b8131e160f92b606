"""`memo-coach init`: the database made ready (see bootstrap.py)."""

from __future__ import annotations

import typer

from memo_coach.cli.shared import _as_is, _initialise


def init() -> None:
    """Create or upgrade the database, import config/ and create the first admin."""
    result = _initialise(_as_is())
    typer.echo(f"database at revision {result.revision}; imported: {', '.join(result.imported) or 'nothing new'}")
