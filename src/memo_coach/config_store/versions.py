"""Configuration versions in the database: the active row is what every replica serves.

A version is never edited: a change, a rollback or an import is a new row with the next number,
its checksum, author, reason, full content and the diff from the row before it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.config_store import diffs
from memo_coach.config_store.kinds import SCHEMAS
from memo_coach.config_store.loader import ConfigError, load_file, parse
from memo_coach.config_store.models import ConfigVersion
from memo_coach.config_store.validation import validate
from memo_coach.errors import Conflict, InvalidInput, NotFound

STALE_VERSION = "stale_version"
M = TypeVar("M", bound=BaseModel)


def checksum(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


def known_name(name: str) -> str:
    """The name itself when config/<name>.yaml is a configuration file; NotFound naming the real ones."""
    if name not in SCHEMAS:
        raise NotFound(f"no configuration file {name!r}; known: {', '.join(SCHEMAS)}", field="name")
    return name


def active_version(session: Session, name: str) -> ConfigVersion | None:
    return session.scalar(select(ConfigVersion).where(ConfigVersion.name == name, ConfigVersion.is_active.is_(True)))


def read_active(session: Session, schema: type[M]) -> M:
    """The one way to read one configuration file as it is active now, typed by its schema: every replica
    serves the database's active version (parses are cached by content, see loader.py). Before any
    version is active (a database not yet initialised) the schema's defaults serve, where it has them."""
    name = next((n for n, s in SCHEMAS.items() if s is schema), None)
    if name is None:
        raise LookupError(f"{schema.__name__} is not a registered configuration kind")
    version = active_version(session, name)
    if version is not None:
        return parse(name, version.content)  # type: ignore[return-value]
    try:
        return schema()
    except ValueError:
        raise RuntimeError(f"no active configuration for {name}; run `memo-coach init`") from None


def active_versions(session: Session) -> dict[str, ConfigVersion]:
    rows = session.scalars(select(ConfigVersion).where(ConfigVersion.is_active.is_(True)))
    return {v.name: v for v in rows}


def active_models(session: Session) -> dict[str, BaseModel]:
    """The parsed active configuration, the baseline a proposed change is validated against."""
    return {name: parse(name, v.content) for name, v in active_versions(session).items()}


def get_version(session: Session, name: str, number: int) -> ConfigVersion:
    version = session.scalar(
        select(ConfigVersion).where(ConfigVersion.name == known_name(name), ConfigVersion.number == number)
    )
    if version is None:
        raise NotFound(f"{name} has no version {number}", field="number")
    return version


def history(session: Session, name: str) -> list[ConfigVersion]:
    """Every version of one file, newest first."""
    query = select(ConfigVersion).where(ConfigVersion.name == known_name(name)).order_by(ConfigVersion.number.desc())
    return list(session.scalars(query))


def check_base(current: ConfigVersion | None, base_version: int | None) -> None:
    """Optimistic concurrency: a change based on an older version than the active one is refused."""
    if base_version is not None and current is not None and current.number != base_version:
        raise Conflict(
            f"{current.name} changed since version {base_version}: version {current.number} is active now; "
            "reload, reapply your edit and try again",
            field="base_version",
            code=STALE_VERSION,
            details={"active_version": current.number, "base_version": base_version},
        )


def validate_change(session: Session, name: str, content: str, source: str | None = None) -> BaseModel:
    """All validation layers against the active configuration; ConfigError when any fails."""
    return validate(known_name(name), content, active_models(session), source)


def apply(
    session: Session, name: str, content: str, *, author: str, reason: str, base_version: int | None = None
) -> ConfigVersion:
    """Validates and activates content as the next version of one file.

    Raises ConfigError when invalid, Conflict (stale_version) when base_version is not the active one.
    """
    validate_change(session, name, content)
    _lock(session, name)
    current = active_version(session, name)
    check_base(current, base_version)
    if current is not None and current.checksum == checksum(content):
        raise InvalidInput(f"{name} already has this content (version {current.number})", code="unchanged")
    return _insert(session, name, content, current, author=author, reason=reason)


def _lock(session: Session, name: str) -> None:
    """Takes the write lock for one file's versions before the base version is read.

    A no-op UPDATE: on PostgreSQL it locks that file's rows, on SQLite it takes the database write
    lock. A second writer waits here, then sees the first one's version and is refused as stale,
    instead of both reading the same active version and the later one silently winning.
    """
    session.execute(update(ConfigVersion).where(ConfigVersion.name == name).values(is_active=ConfigVersion.is_active))


def _insert(
    session: Session, name: str, content: str, current: ConfigVersion | None, *, author: str, reason: str
) -> ConfigVersion:
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
        diff=diffs.unified(name, current.content if current else "", content, current and current.number, number),
    )
    session.add(version)
    try:
        session.flush()
    except IntegrityError:
        # Another writer took this number between our read and our insert: ours is based on a stale version.
        raise Conflict(f"{name} was changed at the same moment; reload and try again", code=STALE_VERSION) from None
    audit.record(
        session, author, "config.applied", f"{name} v{number}", {"checksum": version.checksum, "reason": reason}
    )
    return version


def seed_from_files(session: Session, config_dir: Path) -> list[ConfigVersion]:
    """Imports each file that has no active version yet; validates every such file first so none lands
    half-way. A file whose kind already has an active version is not needed to start: when it is
    invalid the database's version serves, and the drift watcher refuses and reports the file, exactly
    as it does while running (`refused_on_disk` lists them)."""
    actives = active_models(session)
    missing = [name for name in SCHEMAS if name not in actives]
    loaded, problems = {}, []
    for name in missing:
        try:
            loaded[name] = load_file(name, config_dir)
        except ConfigError as exc:
            problems.extend(exc.problems)
    models = {**actives, **{name: model for name, (model, _) in loaded.items()}}
    for name, (_, text) in loaded.items():
        try:
            validate(name, text, models, str(config_dir / f"{name}.yaml"))
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems)
    return [
        _insert(session, name, text, None, author="file", reason="initial import from config/")
        for name, (_, text) in loaded.items()
    ]


def refused_on_disk(session: Session, config_dir: Path) -> list[str]:
    """Files on disk that would be refused (the database's active version serves instead), in words.

    A file whose checksum is its active version's is that version, as the drift watcher sees it too,
    so only a file that differs is validated (which renders the prompt templates: Jinja, at every start)."""
    versions = active_versions(session)
    actives = {name: parse(name, v.content) for name, v in versions.items()}
    refused = []
    for name, version in versions.items():
        path = config_dir / f"{name}.yaml"
        try:
            text = path.read_text(encoding="utf-8")
            if checksum(text) == version.checksum:
                continue
            validate(name, text, actives, str(path))
        except FileNotFoundError:
            continue
        except (ConfigError, OSError, UnicodeDecodeError) as exc:
            refused.append(f"{path}: {exc}")
    return refused


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


_versions = ConfigVersion.__table__.c
# Prepared once: every request that reads configuration runs it.
ACTIVE_IDS = select(_versions.name, _versions.id).where(_versions.is_active.is_(True))


class ConfigCache:
    """Re-parses only when the active version ids change; the check is one indexed query."""

    def __init__(self) -> None:
        self._snapshot: ActiveConfig | None = None

    def current(self, session: Session) -> ActiveConfig:
        ids = {name: vid for name, vid in session.connection().execute(ACTIVE_IDS)}
        if self._snapshot is None or self._snapshot.version_ids != ids:
            versions = session.scalars(select(ConfigVersion).where(ConfigVersion.id.in_(ids.values())))
            models = {v.name: parse(v.name, v.content) for v in versions}
            missing = set(SCHEMAS) - set(models)
            if missing:
                raise RuntimeError(f"no active configuration for {', '.join(sorted(missing))}; run `memo-coach init`")
            self._snapshot = ActiveConfig(models, ids)
        return self._snapshot
