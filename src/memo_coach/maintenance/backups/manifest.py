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
    audit_head: dict[str, Any] | None = None  # the audit chain's anchored head when the backup began

    def __post_init__(self) -> None:
        # A manifest names a file beside itself, never a path: a crafted one must not point a restore
        # or a verification at a file outside the backup directory.
        for value in (self.id, self.file):
            if not isinstance(value, str) or not value or Path(value).name != value or value.startswith("."):
                raise ValueError(f"a backup manifest names {value!r}, not a file in the backup directory")

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


@dataclass(frozen=True)
class CorruptManifest:
    """A manifest that cannot be read: listed with its reason, never silently dropped."""

    id: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "reason": self.reason}


class ManifestCorrupt(InvalidInput):
    code = "corrupt_manifest"


def read(path: Path) -> Manifest:
    """The manifest at path; ManifestCorrupt saying why when it cannot be one."""
    try:
        return Manifest(**json.loads(path.read_text()))
    except (OSError, UnicodeDecodeError) as exc:
        reason = f"cannot be read: {exc.strerror or exc}"
    except json.JSONDecodeError as exc:
        reason = f"is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    except TypeError as exc:
        reason = f"does not have the fields of a manifest ({exc})"
    except ValueError as exc:  # a field that fails its check, e.g. a file outside the backup directory
        reason = f"is refused: {exc}"
    backup_id = path.name.removesuffix(SUFFIX)
    raise ManifestCorrupt(f"the manifest of backup {backup_id} {reason}", field="backup_id")


def catalogue(directory: Path) -> list[Manifest]:
    """Every readable backup in directory, newest first (`corrupt` lists the others)."""
    found = []
    for path in directory.glob(f"*{SUFFIX}"):
        try:
            found.append(read(path))
        except ManifestCorrupt:
            continue
    return sorted(found, key=lambda m: m.created_at, reverse=True)


def corrupt(directory: Path) -> list[CorruptManifest]:
    """Manifests that cannot be read, with the reason for each."""
    found = []
    for path in sorted(directory.glob(f"*{SUFFIX}")):
        try:
            read(path)
        except ManifestCorrupt as exc:
            found.append(CorruptManifest(path.name.removesuffix(SUFFIX), exc.message))
    return found


def find(directory: Path, backup_id: str) -> Manifest:
    if not backup_id or "/" in backup_id or backup_id.startswith("."):
        raise InvalidInput(f"not a backup id: {backup_id!r}", field="backup_id")
    path = directory / f"{backup_id}{SUFFIX}"
    if not path.exists():
        raise NotFound(f"no backup {backup_id} in {directory}", field="backup_id")
    try:
        return read(path)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"backup {backup_id} has an invalid manifest: {exc}", field="backup_id") from None
