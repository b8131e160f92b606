"""SQLite: an online, consistent copy through the backup API, and the checks run on a copy."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine


def database_path(engine: Engine) -> Path:
    return Path(engine.url.database or "")


def snapshot(source: Path, target: Path) -> None:
    """Copies the whole database in one backup step: one read transaction, so the copy is the state
    at its start. In WAL mode writers carry on meanwhile (their pages go to the WAL); stepping in
    small page batches instead would restart the copy after every write from another connection."""
    with closing(sqlite3.connect(source, timeout=30)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst, pages=-1)


def copy_into(source: Path, live: Path) -> None:
    """Replaces the live database's content with source's, under SQLite's own locking, so open
    connections of the app see the new content instead of a file swapped beneath them."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(live, timeout=60)) as dst:
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return sorted(r[0] for r in rows)


def row_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables(conn)}


def schema_revision(path: Path) -> str | None:
    with closing(sqlite3.connect(path)) as conn:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None


def integrity_problems(path: Path, quick: bool = False) -> list[str]:
    """Empty when SQLite finds nothing wrong; otherwise its own words, at most ten lines."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        with closing(sqlite3.connect(path)) as conn:
            rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}(10)")]
    except sqlite3.DatabaseError as exc:
        return [f"not a readable SQLite database: {exc}"]
    return [] if rows == ["ok"] else rows
