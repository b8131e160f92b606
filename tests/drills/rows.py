"""Reading a drill's database directly (read-only), as an auditor would after the fault."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def evaluations(path: Path) -> list[dict]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            "SELECT e.id, e.status, e.text_content, e.lease_owner, e.degraded, u.username"
            " FROM evaluations e JOIN users u ON u.id = e.user_id ORDER BY e.id"
        )
        return [dict(r) for r in rows]


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
