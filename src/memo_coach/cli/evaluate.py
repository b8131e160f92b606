"""`memo-coach evaluate`: one memo evaluated and stored, through the same use case as the API's."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from memo_coach.cli.progress import step
from memo_coach.cli.shared import _fail, _read, _runtime
from memo_coach.coaching.service import evaluation_view
from memo_coach.coaching.submissions import MemoDraft
from memo_coach.errors import AppError


def evaluate(
    file: Annotated[Path, typer.Argument(help="memo text file, or - for standard input")],
    user: Annotated[str, typer.Option(help="store the evaluation under this account")] = "admin",
    as_json: Annotated[bool, typer.Option("--json", help="print the full evaluation as JSON")] = False,
) -> None:
    """Evaluate a memo and store it, like the API does."""
    runtime = _runtime()
    text = sys.stdin.read() if str(file) == "-" else _read(file)
    try:
        with step("Evaluating the memo"):
            view = evaluation_view(runtime.submissions.by_account(user, MemoDraft(text)))
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
