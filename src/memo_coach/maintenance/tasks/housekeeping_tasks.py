"""Retention with archiving, and cleanup of old logs and temporary files, as scheduled tasks."""

from __future__ import annotations

from memo_coach.db.engine import session_scope
from memo_coach.maintenance.backups.orphans import remove_orphans
from memo_coach.maintenance.task_registry import TaskContext, TaskOutcome, register
from memo_coach.maintenance.upkeep import cleanup
from memo_coach.maintenance.upkeep.archive import apply_retention, archive_view


@register("archive", "Archive rows past their retention to compressed JSON lines, then delete them")
def archive(ctx: TaskContext) -> TaskOutcome:
    with session_scope(ctx.sessions) as session:
        done = [
            archive_view(a) for a in apply_retention(session, ctx.settings.data_dir / "archives", ctx.config.retention)
        ]
    rows = sum(a["rows"] for a in done)
    return TaskOutcome(f"archived {rows} rows into {len(done)} files", {"archives": done})


@register("cleanup", "Delete old rotated logs and temporary files, by age and total size", frees_space=True)
def clean(ctx: TaskContext) -> TaskOutcome:
    policy, data = ctx.config.upkeep, ctx.settings.data_dir
    logs = cleanup.clean_logs(data / "logs", policy.log_max_age_days, policy.log_max_total_mb)
    temp = cleanup.clean_temporary([data / "tmp"], policy.temp_max_age_hours)
    # Backup scratch is judged by its owner, not by age: a slow backup's scratch is not an orphan.
    backups = [o.to_dict() for o in remove_orphans(ctx.settings.backups_path)]
    removed = len(logs["removed"]) + len(temp["removed"]) + len(backups)
    return TaskOutcome(
        f"removed {removed} files ({logs['freed_bytes']:,} bytes of logs)",
        {"logs": logs, "temporary": temp, "backup_orphans": backups},
    )
