"""Which of the service's files others on the machine could read or change.

A plain function so the start-up warning, the security configuration review and `doctor` share it.
"""

from __future__ import annotations

import stat
from pathlib import Path

from memo_coach.settings import SECRET_FILE_NAME, Settings

MAX_FILES = 2_000  # a review names problems; it does not walk a huge backup directory for ever


def _places(settings: Settings) -> list[Path]:
    """The data directory and what it holds (database, WAL, logs, backups, secret key), the backups, and
    a SQLite database kept elsewhere with its WAL and shared-memory files."""
    places = [settings.data_dir, settings.backups_path, settings.data_dir / SECRET_FILE_NAME]
    url = settings.sqlalchemy_url
    if url.startswith("sqlite") and "///" in url:
        database = Path(url.split("///", 1)[1])
        places += [database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")]
    return places


def _walk(root: Path):
    if not root.exists():
        return
    yield root
    if root.is_dir():
        for count, path in enumerate(root.rglob("*")):
            if count >= MAX_FILES:
                return
            yield path


def file_mode_findings(settings: Settings) -> list[dict]:
    """One finding per file or directory that grants any permission to group or others."""
    findings, seen = [], set()
    for place in _places(settings):
        for path in _walk(place):
            if path in seen or path.is_symlink():
                continue
            seen.add(path)
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & 0o077:
                private = 0o700 if path.is_dir() else 0o600
                findings.append(
                    {
                        "check": "file_modes",
                        "severity": "high",
                        "title": f"{path} is open to other users (mode {mode:o})",
                        "fix": f"chmod {private:o} {path}",
                        "path": str(path),
                        "mode": f"{mode:o}",
                    }
                )
    return findings
