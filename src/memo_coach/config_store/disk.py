"""Writing a configuration file so a crash never leaves it half-written, keeping the previous copy.

Precedence: the database is the truth. After a change is applied through the API, pages or CLI the
file is written back here, so disk and database agree; the previous file stays as `<name>.yaml.bak`.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from pathlib import Path

BACKUP_SUFFIX = ".bak"
log = logging.getLogger(__name__)


def config_path(config_dir: Path, name: str) -> Path:
    return config_dir / f"{name}.yaml"


def write_config(config_dir: Path, name: str, content: str) -> bool:
    """Writes content to config/<name>.yaml atomically; True when the file now holds a new content.

    False when it already held it, or when the directory is not writable (logged, never raised: the
    version is already in the database, which is the truth; a read-only config/ only loses the mirror).
    """
    path = config_path(config_dir, name)
    try:
        if path.read_text(encoding="utf-8") == content:
            return False
        shutil.copy2(path, path.with_name(path.name + BACKUP_SUFFIX))
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("could not keep a copy of %s before writing it: %s", path, exc)
    try:
        config_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(path, content)
    except OSError as exc:
        log.warning("could not write %s; the database keeps the version: %s", path, exc)
        return False
    return True


def write_atomic(path: Path, content: str) -> None:
    """Temporary file in the same directory, fsync, rename over the target, fsync the directory."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
