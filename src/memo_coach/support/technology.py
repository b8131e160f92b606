"""Installed versions against the latest known ones, and end-of-life dates of Python and the database.

"Latest known" and the end-of-life dates come from config/support.yaml (`technology:`), recorded by
the operator at each review: the app reads no network, so it never pretends to know today's releases.
"""

from __future__ import annotations

import platform
import sqlite3
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, text

from memo_coach.support.config import SupportConfig


def python_key() -> str:
    major, minor, _ = platform.python_version_tuple()
    return f"python {major}.{minor}"


def end_of_life(config: SupportConfig, key: str) -> date | None:
    return config.technology.end_of_life.get(key)


def database_version(engine: Engine) -> tuple[str, str]:
    """(name, version) of the database server, e.g. ("postgresql", "15.19") or ("sqlite", "3.40.1")."""
    if engine.dialect.name == "sqlite":
        return "sqlite", sqlite3.sqlite_version
    with engine.connect() as conn:
        number = int(conn.execute(text("SHOW server_version_num")).scalar_one())
    return "postgresql", f"{number // 10000}.{number % 10000}"


def database_key(name: str, version: str) -> str:
    """ "postgresql 15": PostgreSQL's support is per major version; SQLite has no end-of-life dates."""
    return f"{name} {version.split('.')[0]}"


def _older(installed: str, latest: str) -> bool | None:
    def parts(v: str) -> tuple[int, ...] | None:
        try:
            return tuple(int(p) for p in v.split(".")[:3])
        except ValueError:
            return None

    a, b = parts(installed), parts(latest)
    if a is None or b is None:
        return None
    width = min(len(a), len(b))
    return a[:width] < b[:width]


def technology_review(
    config: SupportConfig, installed: dict[str, str], database: tuple[str, str], now: datetime
) -> dict[str, Any]:
    """Per component: installed, latest known, behind or not; and end-of-life dates passed or near."""
    versions = {**installed, database[0]: database[1]}
    rows = [
        {
            "name": name,
            "installed": version,
            "latest_known": config.technology.known_latest.get(name),
            "behind": _older(version, config.technology.known_latest[name])
            if name in config.technology.known_latest
            else None,
        }
        for name, version in sorted(versions.items())
    ]
    eol = []
    for key in (python_key(), database_key(*database)):
        when = end_of_life(config, key)
        days = (when - now.date()).days if when else None
        eol.append({"runtime": key, "end_of_life": when.isoformat() if when else None, "days_left": days})
    return {
        "components": rows,
        "behind": [r["name"] for r in rows if r["behind"]],
        "end_of_life": eol,
        "past_end_of_life": [e["runtime"] for e in eol if e["days_left"] is not None and e["days_left"] <= 0],
        "within_a_year": [e["runtime"] for e in eol if e["days_left"] is not None and 0 < e["days_left"] <= 365],
        "note": "latest versions are as recorded in config/support.yaml (technology.known_latest)",
    }
