"""The operators' commands: worker, tasks, backup, db, maintenance and archive. Thin, like cli.py."""

from __future__ import annotations

import json
import signal
from datetime import datetime
from typing import Annotated

import typer

from memo_coach.db import migrate
from memo_coach.db.base import utcnow
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.errors import AppError
from memo_coach.ops.backups.restore import restore_backup
from memo_coach.ops.backups.service import BackupTarget, create_backup, list_backups, verify_backup
from memo_coach.ops.backups.upgrade import upgrade_with_backup
from memo_coach.ops.maintenance import service as maintenance
from memo_coach.ops.scheduler import service as tasks
from memo_coach.ops.scheduler.loop import Scheduler, runner_name
from memo_coach.ops.scheduler.models import COMMAND_LINE, SUCCEEDED
from memo_coach.ops.scheduler.runner import Runtime
from memo_coach.ops.scheduler.schedule import active_config
from memo_coach.ops.upkeep.archive import archive_view, list_archives, restore_archive
from memo_coach.settings import get_settings

CLI_ACTOR = "cli"
tasks_app = typer.Typer(help="Scheduled maintenance tasks.", no_args_is_help=True)
backup_app = typer.Typer(help="Backups: create, list, verify, restore.", no_args_is_help=True)
db_app = typer.Typer(help="Schema migrations.", no_args_is_help=True)
maintenance_app = typer.Typer(help="Maintenance mode and windows.", no_args_is_help=True)
archive_app = typer.Typer(help="Archived rows.", no_args_is_help=True)


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg="red", err=True)
    raise typer.Exit(1)


def _runtime() -> Runtime:
    from memo_coach.cli import _ready

    settings, _ = _ready()
    engine = make_engine(settings.sqlalchemy_url)
    return Runtime(settings, engine, make_session_factory(engine), runner_name())


def _target(rt: Runtime) -> BackupTarget:
    with session_scope(rt.sessions) as session:
        config, _ = active_config(session)
    return BackupTarget.of(rt.settings, rt.engine, config.backups)


def _guarded(action):
    try:
        return action()
    except AppError as exc:
        _fail(exc.message)


def _echo_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


def worker(tick: Annotated[float, typer.Option(help="seconds between schedule checks")] = 15.0) -> None:
    """Run the scheduler alone (for deployments that keep it apart from the web processes)."""
    rt = _runtime()
    scheduler = Scheduler(rt.settings, rt.engine, rt.sessions, tick_seconds=tick, owner=rt.owner)
    for sig in (signal.SIGTERM, signal.SIGINT):
        # Only asks the loop to stop: the task in flight finishes and is recorded first.
        signal.signal(sig, lambda *_: scheduler.request_stop())
    typer.echo(f"scheduler worker {rt.owner} running; SIGTERM stops it after the current task")
    scheduler.run_forever()


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
    run_id = _guarded(lambda: tasks.run_now(rt, name, COMMAND_LINE, CLI_ACTOR))
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


@backup_app.command("create")
def backup_create() -> None:
    """Take a backup now and verify it."""
    rt = _runtime()
    target = _target(rt)
    made = create_backup(target, reason="manual")
    result = verify_backup(target, rt.sessions, made.id)
    typer.echo(f"backup {made.id}: {made.size_bytes:,} bytes in {made.seconds:.1f}s; verification: {result.reason}")
    if not result.ok:
        raise typer.Exit(1)


@backup_app.command("list")
def backup_list() -> None:
    """Backups on disk, newest first."""
    for m in list_backups(_target(_runtime())):
        typer.echo(
            f"{m.id}  {m.created_at[:19]}  {m.dialect:<10} {m.size_bytes:>14,} bytes  {m.reason:<11} rev {m.schema_revision}"
        )


@backup_app.command("verify")
def backup_verify(backup_id: str) -> None:
    """Restore a backup into scratch and check it against its manifest; exits 1 when it fails."""
    rt = _runtime()
    result = _guarded(lambda: verify_backup(_target(rt), rt.sessions, backup_id))
    typer.echo(f"{backup_id}: {'OK' if result.ok else 'FAILED'}: {result.reason} ({result.seconds:.1f}s)")
    if not result.ok:
        raise typer.Exit(1)


@backup_app.command("restore")
def backup_restore(
    backup_id: str,
    yes: Annotated[
        bool, typer.Option("--yes-replace-database", help="confirm: the current database is replaced")
    ] = False,
) -> None:
    """Replace the database with a backup (a backup of the current one is taken first)."""
    rt = _runtime()
    result = _guarded(lambda: restore_backup(_target(rt), rt.sessions, backup_id, confirmed=yes, actor=CLI_ACTOR))
    typer.echo(f"restored {backup_id} in {result['seconds']:.1f}s; before it: backup {result['safety_backup_id']}")
    typer.echo(f"check after restore: {result['reason']}")
    if not result["ok"]:
        raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Back up, then apply pending migrations; a failed migration leaves the database as it was."""
    settings = get_settings()
    engine = make_engine(settings.sqlalchemy_url)
    result = _guarded(lambda: upgrade_with_backup(settings, engine))
    typer.echo(
        f"schema {result['from']} -> {result['to']}"
        + (f"; backup {result['backup_id']} first" if result["backup_id"] else "")
    )


@db_app.command("current")
def db_current() -> None:
    """The database's schema revision and the newest one this code knows."""
    engine = make_engine(get_settings().sqlalchemy_url)
    typer.echo(f"database at {migrate.current_revision(engine)}; code head {migrate.head_revision()}")


@db_app.command("history")
def db_history() -> None:
    """Every migration, oldest first."""
    for rev in migrate.history():
        typer.echo(f"{rev['revision']}  (from {rev['down_revision'] or 'nothing'})  {rev['message']}")


def _aware(value: str, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        _fail(f"{field}: not an ISO 8601 time: {value!r}")
    if parsed.tzinfo is None:
        _fail(f"{field}: give a UTC offset, e.g. {value}+00:00")
    return parsed


@maintenance_app.command("on")
def maintenance_on(
    message: Annotated[str, typer.Option(help="what writers see in the banner")],
    until: Annotated[str | None, typer.Option(help="ISO 8601 end, with offset")] = None,
) -> None:
    """Hold writers off now (operators keep access)."""
    end = _aware(until, "--until") if until else None
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        window = _guarded(lambda: maintenance.switch_on(session, CLI_ACTOR, message, end))
        typer.echo(f"maintenance on (window {window.id})" + (f" until {end.isoformat()}" if end else ""))


@maintenance_app.command("off")
def maintenance_off() -> None:
    """End maintenance now."""
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        typer.echo(f"maintenance off ({maintenance.switch_off(session, CLI_ACTOR)} window(s) ended)")


@maintenance_app.command("status")
def maintenance_status() -> None:
    """Whether maintenance is on, and the windows ahead."""
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        _echo_json(
            {
                "now": maintenance.maintenance_state(session).to_dict(),
                "windows": [maintenance.window_view(w) for w in maintenance.upcoming_windows(session, utcnow())],
            }
        )


@maintenance_app.command("schedule")
def maintenance_schedule(
    start: Annotated[str, typer.Option(help="ISO 8601 start, with offset")],
    end: Annotated[str, typer.Option(help="ISO 8601 end, with offset")],
    message: Annotated[str, typer.Option(help="what writers see")],
) -> None:
    """Plan a maintenance window ahead."""
    starts, ends = _aware(start, "--start"), _aware(end, "--end")
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        window = _guarded(lambda: maintenance.schedule_window(session, CLI_ACTOR, starts, ends, message))
        typer.echo(f"window {window.id} planned: {starts.isoformat()} - {ends.isoformat()}")


@archive_app.command("list")
def archive_list() -> None:
    """Archive files of rows past their retention."""
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        for a in map(archive_view, list_archives(session)):
            typer.echo(
                f"{a['id']:>4} {a['kind']:<16} {a['rows']:>8} rows  older than {a['older_than'][:10]}  {a['file']}"
            )


@archive_app.command("restore")
def archive_restore(archive_id: int) -> None:
    """Load an archive's rows back into the database."""
    rt = _runtime()
    with session_scope(rt.sessions) as session:
        rows = _guarded(lambda: restore_archive(session, archive_id))
    typer.echo(f"restored {rows} rows from archive {archive_id}")


def register(app: typer.Typer) -> None:
    app.command()(worker)
    for sub, name in (
        (tasks_app, "tasks"),
        (backup_app, "backup"),
        (db_app, "db"),
        (maintenance_app, "maintenance"),
        (archive_app, "archive"),
    ):
        app.add_typer(sub, name=name)
