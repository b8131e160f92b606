"""Configuration versions in the database: the active row is what every replica serves."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from memo_coach.config_store.loader import load_file, parse
from memo_coach.config_store.models import ConfigVersion
from memo_coach.config_store.schemas import SCHEMAS
from memo_coach.ops import audit


def checksum(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


def active_version(session: Session, name: str) -> ConfigVersion | None:
    return session.scalar(select(ConfigVersion).where(ConfigVersion.name == name, ConfigVersion.is_active.is_(True)))


def apply(session: Session, name: str, content: str, *, author: str, reason: str) -> ConfigVersion:
    """Validates and activates content as the next version of one file; raises ConfigError when invalid."""
    parse(name, content)
    number = (session.scalar(select(func.max(ConfigVersion.number)).where(ConfigVersion.name == name)) or 0) + 1
    session.execute(update(ConfigVersion).where(ConfigVersion.name == name).values(is_active=False))
    version = ConfigVersion(
        name=name,
        number=number,
        checksum=checksum(content),
        content=content,
        author=author,
        reason=reason,
        is_active=True,
    )
    session.add(version)
    session.flush()
    audit.record(
        session, author, "config.applied", f"{name} v{number}", {"checksum": version.checksum, "reason": reason}
    )
    return version


def seed_from_files(session: Session, config_dir: Path) -> list[ConfigVersion]:
    """Imports each file that has no active version yet; validates every file first so none lands half-way."""
    loaded = {name: load_file(name, config_dir)[1] for name in SCHEMAS}
    return [
        apply(session, name, text, author="file", reason="initial import from config/")
        for name, text in loaded.items()
        if active_version(session, name) is None
    ]


@dataclass(frozen=True)
class ActiveConfig:
    """A consistent snapshot of every file's active version; an evaluation keeps the one it started with."""

    models: dict[str, BaseModel]
    version_ids: dict[str, int]

    def __getattr__(self, name: str) -> BaseModel:
        try:
            return self.models[name]
        except KeyError:
            raise AttributeError(name) from None


class ConfigCache:
    """Re-parses only when the active version ids change; the check is one indexed query."""

    def __init__(self) -> None:
        self._snapshot: ActiveConfig | None = None

    def current(self, session: Session) -> ActiveConfig:
        rows = session.execute(
            select(ConfigVersion.name, ConfigVersion.id).where(ConfigVersion.is_active.is_(True))
        ).all()
        ids = {name: vid for name, vid in rows}
        if self._snapshot is None or self._snapshot.version_ids != ids:
            versions = session.scalars(select(ConfigVersion).where(ConfigVersion.id.in_(ids.values())))
            models = {v.name: parse(v.name, v.content) for v in versions}
            missing = set(SCHEMAS) - set(models)
            if missing:
                raise RuntimeError(f"no active configuration for {', '.join(sorted(missing))}; run `memo-coach init`")
            self._snapshot = ActiveConfig(models, ids)
        return self._snapshot
