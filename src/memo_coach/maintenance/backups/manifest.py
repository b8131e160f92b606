"""The manifest beside each backup file: what a verification compares against, and the catalogue.

Backups are listed from their manifests on disk, not from the database: restoring a backup
rewrites the database, and the list of backups must survive that.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from memo_coach.errors import InvalidInput, NotFound

SUFFIX = ".manifest.json"


@dataclass
class Manifest:
    id: str
    created_at: str  # UTC ISO 8601
    dialect: str  # sqlite | postgresql
    file: str  # name of the stored file, beside the manifest
    size_bytes: int
    sha256: str
    row_counts: dict[str, int]
    schema_revision: str | None
    app_version: str
    encrypted: bool
    reason: str  # scheduled | manual | initial | pre-restore | pre-upgrade
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.created_at)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def new_id(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def write(directory: Path, manifest: Manifest) -> Path:
    """Written after the backup file and renamed into place, so a listed backup is a complete one."""
    path = directory / f"{manifest.id}{SUFFIX}"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest.to_dict(), indent=2, sort_keys=True))
    os.replace(tmp, path)
    return path


def read(path: Path) -> Manifest:
    return Manifest(**json.loads(path.read_text()))


def catalogue(directory: Path) -> list[Manifest]:
    """Every backup in directory, newest first; unreadable manifests are skipped, not fatal."""
    found = []
    for path in directory.glob(f"*{SUFFIX}"):
        try:
            found.append(read(path))
        except (OSError, ValueError, TypeError):
            continue
    return sorted(found, key=lambda m: m.created_at, reverse=True)


def find(directory: Path, backup_id: str) -> Manifest:
    if not backup_id or "/" in backup_id or backup_id.startswith("."):
        raise InvalidInput(f"not a backup id: {backup_id!r}", field="backup_id")
    path = directory / f"{backup_id}{SUFFIX}"
    if not path.exists():
        raise NotFound(f"no backup {backup_id} in {directory}", field="backup_id")
    return read(path)
