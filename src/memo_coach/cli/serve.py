"""`memo-coach init`, `serve` and `evaluate`: the database made ready, the web server, one memo."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from memo_coach.auth import users as user_service
from memo_coach.cli.progress import step
from memo_coach.cli.runtime import _fail, _read, _ready, _sessions
from memo_coach.cli.server_limits import server_limits
from memo_coach.db.engine import session_scope
from memo_coach.errors import AppError


def init() -> None:
    """Create or upgrade the database, import config/ and create the first admin."""
    _, result = _ready()
    typer.echo(f"database at revision {result.revision}; imported: {', '.join(result.imported) or 'nothing new'}")


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
        EvaluatorChoice(settings, offline_now=False),
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
