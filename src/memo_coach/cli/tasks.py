"""`memo-coach worker` and `memo-coach tasks`: the scheduler alone, and the tasks it runs."""

from __future__ import annotations

import signal
from typing import Annotated

import typer

from memo_coach.cli.progress import step
from memo_coach.cli.shared import CLI_ACTOR, _echo_json, _guarded, _runtime
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.scheduler import service as tasks
from memo_coach.maintenance.scheduler.loop import TICK_SECONDS
from memo_coach.maintenance.scheduler.models import COMMAND_LINE, SUCCEEDED
from memo_coach.runtime import Purpose

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
    """Registered tasks with their schedule, next runs, last success and overdue flag."""
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        rows = tasks.schedule_view(session)
    if as_json:
        return _echo_json(rows)
    for r in rows:
        when = f"{r['cron']} ({r['timezone']})" if r["scheduled"] else "not scheduled"
        flag = " OVERDUE" if r.get("overdue") else ""
        nxt = (r.get("upcoming") or ["-"])[0]
        typer.echo(f"{r['task']:<22} {when:<26} next {nxt:<26} last ok {r.get('last_success_at') or 'never'}{flag}")


@tasks_app.command("run")
def tasks_run(name: str) -> None:
    """Run a task now and wait for it; exits 1 unless it succeeded."""
    rt = _runtime()
    with step(f"Running {name}"):
        run_id = _guarded(lambda: tasks.run_now(rt.tasks, name, COMMAND_LINE, CLI_ACTOR))
    with session_scope(rt.sessions) as session:
        run = tasks.run_view(tasks.get_run(session, run_id))
    typer.echo(f"run {run_id}: {name} {run['status']}: {run['summary'] or run['reason']}")
    if run["status"] != SUCCEEDED:
        raise typer.Exit(1)


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
