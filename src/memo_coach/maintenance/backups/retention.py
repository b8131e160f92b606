"""Grandfather-father-son retention: the newest backup of each of the last N days, weeks and months."""

from __future__ import annotations

from collections.abc import Callable

from memo_coach.maintenance.backups.manifest import Manifest
from memo_coach.maintenance.backups.service import BackupTarget, delete_backup, list_backups
from memo_coach.maintenance.config import BackupPolicy


def _newest_per(backups: list[Manifest], period: Callable[[Manifest], tuple], keep: int) -> set[str]:
    """Ids of the newest backup in each of the `keep` most recent periods (backups are newest first)."""
    kept: dict[tuple, str] = {}
    for m in backups:
        key = period(m)
        if key not in kept and len(kept) < keep:
            kept[key] = m.id
    return set(kept.values())


def backups_to_keep(backups: list[Manifest], policy: BackupPolicy) -> set[str]:
    return (
        _newest_per(backups, lambda m: (m.created.date(),), policy.keep_daily)
        | _newest_per(backups, lambda m: m.created.isocalendar()[:2], policy.keep_weekly)
        | _newest_per(backups, lambda m: (m.created.year, m.created.month), policy.keep_monthly)
    )


def prune(target: BackupTarget) -> list[str]:
    """Deletes backups outside the policy from both destinations; returns their ids."""
    backups = list_backups(target)
    keep = backups_to_keep(backups, target.policy)
    doomed = [m for m in backups if m.id not in keep]
    for m in doomed:
        delete_backup(target, m)
    return [m.id for m in doomed]
