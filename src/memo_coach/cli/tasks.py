"""`memo-coach worker` and `memo-coach tasks`: the scheduler alone, and the tasks it runs."""

from __future__ import annotations

import logging
import signal
from pathlib import Path
from typing import Annotated

import typer

from memo_coach.cli.progress import step
from memo_coach.cli.shared import CLI_ACTOR, _as_is, _echo_json, _fail, _guarded, _runtime
from memo_coach.db.engine import session_scope
from memo_coach.errors import AppError
from memo_coach.maintenance import task_registry as registry
from memo_coach.maintenance.scheduler import full_disk
from memo_coach.maintenance.scheduler import service as tasks
from memo_coach.maintenance.scheduler.full_disk import STORAGE_ERRORS, RunNotRecorded
from memo_coach.maintenance.scheduler.loop import TICK_SECONDS
from memo_coach.maintenance.scheduler.models import COMMAND_LINE, FAILED, SUCCEEDED, TIMED_OUT
from memo_coach.runtime import Purpose, Runtime

tasks_app = typer.Typer(help="Scheduled maintenance tasks.", no_args_is_help=True)


def worker(tick: Annotated[float, typer.Option(help="seconds between schedule checks")] = TICK_SECONDS) -> None:
    """Run the scheduler alone (for deployments that keep it apart from the web processes); it also
    takes over evaluations whose owner died, like every web process does."""
    rt = _runtime(Purpose.WORKER)
    rt.scheduler.tick_seconds = tick
    rt.start()
    for sig in (signal.SIGTERM, signal.SIGINT):
        # Only asks the loop to stop: the task in flight finishes and is recorded first.
        signal.signal(sig, lambda *_: rt.scheduler.request_stop())
    typer.echo(f"scheduler worker {rt.owner} running; SIGTERM stops it after the current task")
    rt.scheduler.run_forever()  # the runtime stops with the command


@tasks_app.command("list")
def tasks_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Registered tasks with their schedule, next run, last success, and flags: OVERDUE, LAST RUN FAILED."""
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        rows = tasks.schedule_view(session)
    if as_json:
        return _echo_json(rows)
    typer.echo(f"{'task':<22} {'schedule':<34} {'next run (UTC)':<17} {'last success':<17} flags")
    for r in rows:
        nxt = (r.get("upcoming") or ["-"])[0][:16].replace("T", " ")
        last = (r.get("last_success_at") or "never")[:16].replace("T", " ")
        flags = " ".join(flag for flag in (_overdue(r), _failed(r)) if flag)
        typer.echo(f"{r['task']:<22} {r['schedule_text']:<34} {nxt:<17} {last:<17} {flags}".rstrip())


def _overdue(row: dict) -> str:
    return "OVERDUE" if row.get("overdue") else ""


def _failed(row: dict) -> str:
    return f"LAST RUN {row['last_status'].upper()}" if row.get("last_status") in (FAILED, TIMED_OUT) else ""


@tasks_app.command("run")
def tasks_run(name: str) -> None:
    """Run a task now and wait for it; exits 1 unless it succeeded. cleanup and wal_checkpoint run on a
    full disk too (recorded once they made room)."""
    # The run's reason is printed below; a task's traceback belongs in the server's log, not here.
    logging.getLogger("memo_coach").addHandler(logging.NullHandler())
    rt = _prepared(name)
    try:
        with step(f"Running {name}"):
            run_id = tasks.run_now(rt.tasks, name, COMMAND_LINE, CLI_ACTOR)
        with session_scope(rt.sessions) as session:
            run = tasks.run_view(tasks.get_run(session, run_id))
    except RunNotRecorded as exc:
        _unrecorded(name, exc.outcome)
        return
    except AppError as exc:
        _fail(exc.message)
    except STORAGE_ERRORS as exc:
        _fail(_cannot_run(name, exc, rt.settings.data_dir))
    typer.echo(f"run {run_id}: {name} {run['status']}: {run['summary'] or run['reason']}")
    if run["status"] != SUCCEEDED:
        raise typer.Exit(1)


def _prepared(name: str) -> Runtime:
    """The command's runtime, initialised when the database allows; a task that frees space goes on
    without (a full disk refuses even the first-start checks)."""
    try:
        return _runtime()
    except STORAGE_ERRORS as exc:
        rt = _as_is()
        if name in registry.tasks() and registry.get(name).frees_space:
            return rt
        _fail(_cannot_run(name, exc, rt.settings.data_dir))


def _unrecorded(name: str, outcome: dict) -> None:
    said = (outcome.get("summary") or outcome.get("reason") or "").strip().splitlines()
    typer.echo(f"{name} {outcome['status']}: {said[0] if said else ''}")
    typer.secho(
        "not recorded: the disk is still full; free more space (docs/runbooks/troubleshoot-disk-full.md)",
        fg="yellow",
        err=True,
    )
    if outcome["status"] != SUCCEEDED:
        raise typer.Exit(1)


def _cannot_run(name: str, exc: BaseException, data_dir: Path) -> str:
    """One line for an operator instead of a traceback: what failed, and what to do."""
    said = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
    if full_disk.no_room(exc, data_dir):
        return (
            f"cannot run {name}: the disk holding {data_dir} is full ({said}); free space first "
            "(`memo-coach tasks run cleanup`, old backups, rotated logs: docs/runbooks/troubleshoot-disk-full.md), "
            "then run it again"
        )
    return (
        f"cannot run {name}: the database cannot be used ({said}); "
        "`memo-coach doctor --offline` says why (docs/runbooks/troubleshoot-database.md)"
    )


@tasks_app.command("history")
def tasks_history(
    task: Annotated[str | None, typer.Option(help="only this task")] = None,
    status: Annotated[str | None, typer.Option(help="succeeded, failed, timed_out, skipped, running")] = None,
    limit: int = 20,
) -> None:
    """Recent runs, newest first."""
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        runs = _guarded(lambda: [tasks.run_view(r) for r in tasks.history(session, task, status, limit)])
    for r in runs:
        secs = f"{r['duration_seconds']:.1f}s" if r["duration_seconds"] is not None else "-"
        typer.echo(
            f"{r['id']:>6} {r['started_at'][:19]} {r['task']:<22} {r['trigger']:<12} {r['status']:<10} {secs:>8}  {r['summary'] or r['reason']}"
        )
