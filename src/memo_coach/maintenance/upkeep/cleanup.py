"""Cleanup of old logs and temporary files, by age and then by total size (oldest first).

The log file being written is never deleted; rotated ones (name.log.1, name.log.2026-11-01, .gz) are.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path


def _rotated_logs(directory: Path) -> list[Path]:
    if not directory.exists():
        return []
    files = [p for p in directory.rglob("*.log*") if p.is_file() and not p.name.endswith(".log")]
    return sorted(files, key=lambda p: p.stat().st_mtime)


def clean_logs(directory: Path, max_age_days: float, max_total_mb: float, now: float | None = None) -> dict:
    now = now or time.time()
    removed, freed = [], 0
    files = _rotated_logs(directory)
    for path in list(files):
        if now - path.stat().st_mtime > max_age_days * 86400:
            freed += path.stat().st_size
            removed.append(path.name)
            path.unlink()
            files.remove(path)
    total = sum(p.stat().st_size for p in files) + sum(p.stat().st_size for p in directory.glob("*.log"))
    while files and total > max_total_mb * 1024 * 1024:
        path = files.pop(0)
        size = path.stat().st_size
        total -= size
        freed += size
        removed.append(path.name)
        path.unlink()
    return {"removed": removed, "freed_bytes": freed}


def clean_temporary(directories: list[Path], max_age_hours: float, now: float | None = None) -> dict:
    """Temporary files and abandoned scratch directories (a crash mid-verification leaves one)."""
    now = now or time.time()
    removed = []
    for directory in directories:
        if not directory.exists():
            continue
        for path in directory.iterdir():
            is_temp = directory.name == "tmp" or path.name.startswith((".scratch-", ".tmp"))
            if is_temp and now - path.stat().st_mtime > max_age_hours * 3600:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
                removed.append(path.name)
    return {"removed": removed}
