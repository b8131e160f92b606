"""Whether every configuration file has an active version that still parses: without one no request
can be served. Edits on disk the drift watcher refused are a separate component (drift.config_health)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.component_status import HEALTHY, UNHEALTHY, ComponentStatus
from memo_coach.config_store.kinds import SCHEMAS
from memo_coach.config_store.loader import parse
from memo_coach.config_store.models import ConfigVersion

FIX = (
    "Open Configuration (/admin/config) to see each file's problems, then fix or roll back the file;"
    " `memo-coach init` imports a file that has no active version yet."
)
_PARSED: set[str] = set()  # checksums of contents that parsed: each parses once per process


def active_versions_health(session: Session) -> ComponentStatus:
    rows = session.execute(
        select(ConfigVersion.id, ConfigVersion.name, ConfigVersion.number, ConfigVersion.checksum).where(
            ConfigVersion.is_active.is_(True)
        )
    ).all()
    versions = {row.name: row.number for row in rows}
    problems = [f"{name}: no active version" for name in SCHEMAS if name not in versions]
    problems += [
        problem
        for row in rows
        if row.name in SCHEMAS and row.checksum not in _PARSED
        if (problem := _parse_problem(session, row))
    ]
    details = {"active_versions": versions}
    if problems:
        return ComponentStatus("config", UNHEALTHY, "; ".join(problems), details=details, fix=FIX)
    return ComponentStatus("config", HEALTHY, "every configuration file has a valid active version", details=details)


def _parse_problem(session: Session, row) -> str | None:
    content = session.scalar(select(ConfigVersion.content).where(ConfigVersion.id == row.id))
    try:
        parse(row.name, content)
    except Exception as exc:
        return f"{row.name} v{row.number}: {type(exc).__name__}"
    _PARSED.add(row.checksum)
    return None
