"""Backup, verification of every retained backup, and the restore drill, as scheduled tasks."""

from __future__ import annotations

from memo_coach.maintenance.backups.restore import restore_drill
from memo_coach.maintenance.backups.retention import prune
from memo_coach.maintenance.backups.service import BackupTarget, create_backup, list_backups, verify_backup
from memo_coach.maintenance.scheduler.models import SCHEDULE
from memo_coach.maintenance.task_registry import TaskContext, TaskFailed, TaskOutcome, register


def _target(ctx: TaskContext) -> BackupTarget:
    return BackupTarget.of(ctx.settings, ctx.engine, ctx.config.backups)


@register("backup", "Back up the database, verify the backup at once, then apply retention")
def backup(ctx: TaskContext) -> TaskOutcome:
    target = _target(ctx)
    # An operator's "Run now" or a shell's `tasks run backup` is a manual backup, and says so in its manifest.
    made = create_backup(target, reason="scheduled" if ctx.trigger == SCHEDULE else "manual")
    result = verify_backup(target, ctx.sessions, made.id)
    details = {
        "backup_id": made.id,
        "size_bytes": made.size_bytes,
        "seconds": made.seconds,
        "verification": result.to_dict(),
    }
    if not result.ok:
        raise TaskFailed(f"backup {made.id} failed verification: {result.reason}", details)
    details["pruned"] = prune(target)
    return TaskOutcome(f"backup {made.id} ({made.size_bytes:,} bytes) taken and verified", details)


@register("backup_integrity_all", "Verify every retained backup against its manifest")
def verify_all(ctx: TaskContext) -> TaskOutcome:
    target = _target(ctx)
    results = [verify_backup(target, ctx.sessions, m.id) for m in list_backups(target)]
    failed = [r.to_dict() for r in results if not r.ok]
    details = {"verified": len(results), "failed": failed}
    if failed:
        raise TaskFailed(f"{len(failed)} of {len(results)} backups failed verification", details)
    return TaskOutcome(f"all {len(results)} retained backups verified", details)


@register("restore_drill", "Restore the latest backup into scratch, read it through the app, time the recovery")
def drill(ctx: TaskContext) -> TaskOutcome:
    result = restore_drill(_target(ctx), ctx.sessions)
    if not result.ok:
        raise TaskFailed(f"restore drill of {result.backup_id} failed: {result.reason}", result.to_dict())
    return TaskOutcome(f"restored {result.backup_id} in {result.seconds:.1f} s", result.to_dict())
