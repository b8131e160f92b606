"""What a killed backup leaves behind, found and removed.

A backup works in a `.scratch-*` directory beside the backups (the plain snapshot, the stored file
while it is written) and moves the finished file into place just before its manifest. A process
killed with SIGKILL cannot clean up, so its scratch directory (holding a plaintext copy of the
database even when backups are encrypted) stays. Each scratch directory names its owner (host and
pid): it is an orphan once that process is gone, or after a day whoever owned it. A stored file
with no manifest is an orphan once it is older than a running backup could leave it.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from memo_coach.maintenance.backups import manifest as manifests

OWNER_FILE = "owner"
SCRATCH_PREFIX = ".scratch-"
STALE_SECONDS = 24 * 3600  # a scratch directory of another host: surely dead after a day
UNLISTED_GRACE_SECONDS = 600  # a finished file waits this long at most for its manifest


@dataclass(frozen=True)
class Orphan:
    path: Path
    reason: str
    size_bytes: int

    def to_dict(self) -> dict:
        return {"path": str(self.path), "reason": self.reason, "size_bytes": self.size_bytes}


def mark_owner(scratch: Path) -> None:
    (scratch / OWNER_FILE).write_text(f"{socket.gethostname()} {os.getpid()}")


def find_orphans(directory: Path, now: float | None = None) -> list[Orphan]:
    """Abandoned scratch directories, half-written manifests, and backup files no manifest lists."""
    if not directory.exists():
        return []
    now = now or time.time()
    # By id, not by the manifest's content: the file of a backup whose manifest is corrupt is no orphan.
    listed = {p.name.removesuffix(manifests.SUFFIX) for p in directory.glob(f"*{manifests.SUFFIX}")}
    found = []
    for path in sorted(directory.iterdir()):
        reason = _orphan_reason(path, listed, now)
        if reason:
            found.append(Orphan(path, reason, _size(path)))
    return found


def remove_orphans(directory: Path) -> list[Orphan]:
    removed = []
    for orphan in find_orphans(directory):
        if orphan.path.is_dir():
            shutil.rmtree(orphan.path, ignore_errors=True)
        else:
            orphan.path.unlink(missing_ok=True)
        removed.append(orphan)
    return removed


def _orphan_reason(path: Path, listed: set[str], now: float) -> str | None:
    age = now - path.stat().st_mtime
    if path.is_dir():
        if path.name.startswith(SCRATCH_PREFIX) and _owner_gone(path, age):
            return "scratch space of a backup or verification that was killed"
        return None
    if path.name.endswith(manifests.SUFFIX) or path.name.startswith("."):
        return None
    if path.suffix == ".tmp":
        return "a manifest that was never finished" if age > UNLISTED_GRACE_SECONDS else None
    if path.name.split(".", 1)[0] not in listed and age > UNLISTED_GRACE_SECONDS:
        return "a backup file no manifest lists (its backup never finished)"
    return None


def _owner_gone(scratch: Path, age: float) -> bool:
    try:
        host, pid = (scratch / OWNER_FILE).read_text().split()
    except (OSError, ValueError):
        return age > 60  # an owner file is written at once; without one after a minute, it is abandoned
    if host != socket.gethostname():
        return age > STALE_SECONDS
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
