"""`memo-coach backup` and `memo-coach db`: backups, restores and schema migrations preceded by a backup."""

from __future__ import annotations

from typing import Annotated

import typer

from memo_coach.cli.progress import step
from memo_coach.cli.shared import CLI_ACTOR, _as_is, _fail, _guarded, _runtime
from memo_coach.config_store.versions import read_active
from memo_coach.db import migrate
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.backups import manifest as manifests
from memo_coach.maintenance.backups.health import verification_states, verification_words
from memo_coach.maintenance.backups.orphans import find_orphans, remove_orphans
from memo_coach.maintenance.backups.restore import restore_backup
from memo_coach.maintenance.backups.service import BackupTarget, list_backups, verify_backup
from memo_coach.maintenance.backups.upgrade import upgrade_with_backup
from memo_coach.maintenance.config import MaintenanceConfig
from memo_coach.maintenance.scheduler import service as tasks
from memo_coach.maintenance.scheduler.models import COMMAND_LINE, SUCCEEDED
from memo_coach.runtime import Runtime

backup_app = typer.Typer(help="Backups: create, list, verify, restore.", no_args_is_help=True)
db_app = typer.Typer(help="Schema migrations.", no_args_is_help=True)


def _target(rt: Runtime) -> BackupTarget:
    with session_scope(rt.sessions) as session:
        config = read_active(session, MaintenanceConfig)
    return BackupTarget.of(rt.settings, rt.engine, config.backups)


@backup_app.command("create")
def backup_create() -> None:
    """Take a backup now and verify it (as a run of the backup task, so it counts for its dead man's switch)."""
    rt = _runtime()
    with step("Taking and verifying a backup"):
        run_id = _guarded(lambda: tasks.run_now(rt.tasks, "backup", COMMAND_LINE, CLI_ACTOR))
    with session_scope(rt.sessions) as session:
        run = tasks.run_view(tasks.get_run(session, run_id))
    typer.echo(f"run {run_id}: {run['summary'] or run['reason']}")
    if run["status"] != SUCCEEDED:
        raise typer.Exit(1)


@backup_app.command("list")
def backup_list() -> None:
    """Backups on disk, newest first, each with its latest verification (verified, FAILED with the
    reason, or not yet); then corrupt manifests and orphaned files. Exits 1 when a manifest is corrupt."""
    rt = _runtime()
    target = _target(rt)
    backups = list_backups(target)
    with session_scope(rt.sessions) as session:
        checks = verification_states(session, [m.id for m in backups])
    if backups:
        typer.echo(
            f"{'backup':<24} {'taken (UTC)':<17} {'dialect':<10} {'bytes':>14}  {'why':<11} {'schema':<7} verification"
        )
    for m in backups:
        check = checks[m.id]
        typer.secho(
            f"{m.id:<24} {m.created_at[:16].replace('T', ' '):<17} {m.dialect:<10} {m.size_bytes:>14,}  "
            f"{m.reason:<11} {m.schema_revision or '-':<7} {verification_words(check)}",
            fg="red" if check.ok is False else None,
        )
    for orphan in find_orphans(target.directory):
        typer.echo(f"ORPHAN   {orphan.path.name}  {orphan.size_bytes:,} bytes: {orphan.reason} (`backup cleanup`)")
    broken = manifests.corrupt(target.directory)
    for c in broken:
        typer.secho(f"CORRUPT  {c.id}: {c.reason}", fg="red")
    if broken:
        raise typer.Exit(1)


@backup_app.command("cleanup")
def backup_cleanup() -> None:
    """Remove what killed backups left behind: scratch copies and files no manifest lists."""
    removed = remove_orphans(_target(_runtime()).directory)
    for orphan in removed:
        typer.echo(f"removed {orphan.path.name} ({orphan.size_bytes:,} bytes): {orphan.reason}")
    typer.echo(f"{len(removed)} orphans removed")


@backup_app.command("verify")
def backup_verify(
    backup_id: Annotated[str | None, typer.Argument(help="the backup to check; the newest when left out")] = None,
) -> None:
    """Restore a backup (the newest, unless named) into scratch and check it against its manifest; exits 1
    when it fails."""
    rt = _runtime()
    if backup_id is None:
        newest = list_backups(_target(rt))
        if not newest:
            _fail("no backup to verify: take one with `memo-coach backup create`")
        backup_id = newest[0].id
    with step(f"Verifying backup {backup_id}"):
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
    # Evaluations in flight end by their deadline; the drain waits that long, plus a lease, at most.
    drain = rt.settings.evaluation_deadline_seconds + 2 * rt.settings.evaluation_lease_seconds
    with step(f"Restoring backup {backup_id}"):
        result = _guarded(
            lambda: restore_backup(
                _target(rt), rt.sessions, backup_id, confirmed=yes, actor=CLI_ACTOR, drain_seconds=drain
            )
        )
    typer.echo(f"restored {backup_id} in {result['seconds']:.1f}s; before it: backup {result['safety_backup_id']}")
    drained = result["drained"]
    typer.echo(
        f"writes were refused for {result['writes_refused_seconds']:.1f}s "
        f"(of which {drained['seconds']:.1f}s waiting for work in flight; "
        f"still running at the end: {drained['still_running']}, stranded: {drained['stranded']})"
    )
    undone = result["undone"]
    rows = ", ".join(f"{table} {n}" for table, n in undone["rows"].items()) or "nothing"
    typer.echo(f"undone (kept in backup {result['safety_backup_id']}): {rows}")
    if undone["evaluation_ids"]:
        first, last = undone["evaluation_ids"]
        typer.echo(f"evaluation ids {first}..{last} no longer exist and are never handed out again")
    typer.echo(f"signed out: {result['signed_out']}")
    typer.echo(f"check after restore: {result['reason']}")
    if not result["ok"]:
        raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Back up, then apply pending migrations; a failed migration leaves the database as it was."""
    rt = _as_is()
    with step("Backing up and upgrading the database"):
        result = _guarded(lambda: upgrade_with_backup(rt.settings, rt.engine))
    typer.echo(
        f"schema {result['from']} -> {result['to']}"
        + (f"; backup {result['backup_id']} first" if result["backup_id"] else "")
    )


@db_app.command("current")
def db_current() -> None:
    """The database's schema revision and the newest one this code knows."""
    typer.echo(f"database at {migrate.current_revision(_as_is().engine)}; code head {migrate.head_revision()}")


@db_app.command("history")
def db_history() -> None:
    """Every migration, oldest first."""
    for rev in migrate.history():
        typer.echo(f"{rev['revision']}  (from {rev['down_revision'] or 'nothing'})  {rev['message']}")
