"""`memo-coach serve`: the web server, after the database is made ready."""

from __future__ import annotations

from typing import Annotated

import typer

from memo_coach.cli.server_limits import server_limits
from memo_coach.cli.shared import _runtime


def serve(
    host: Annotated[str | None, typer.Option(help="bind address")] = None,
    port: Annotated[int | None, typer.Option(help="port")] = None,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
) -> None:
    """Start the web server (initialises the database first)."""
    import uvicorn

    runtime = _runtime()
    settings = runtime.settings
    runtime.stop()  # each server process builds a runtime of its own (web/app.py:create_app)
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
