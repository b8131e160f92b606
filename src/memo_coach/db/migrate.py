"""Schema changes only through Alembic, from the very first table.

Alembic is imported inside the functions: it costs a fifth of a second, and most commands
(`memo-coach doctor` above all, which must answer fast) never migrate. Asking whether a database is
at head (every `serve` start does) reads the version table and the revision ids in the migration
files without Alembic, which would otherwise stay in every server process (14 MB with Mako).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, MetaData, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """On SQLite, foreign keys are off while migrations run: rebuilding a table (SQLite's way to alter
    one) drops the old copy, and with foreign keys on that drop would cascade into the rows pointing
    at it. The pragma only takes effect outside a transaction, hence before `begin`."""
    from alembic import command

    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                cfg = _config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                if sqlite and (broken := conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
                    raise RuntimeError(f"migration left rows pointing at nothing: {broken[:3]}")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        if len(rows) <= 1:
            return rows[0] if rows else None
        from alembic.runtime.migration import MigrationContext  # several heads: Alembic's own error

        return MigrationContext.configure(conn).get_current_revision()


_REVISION = re.compile(r'^(down_revision|revision) = "?([^"\n]*?)"?$', re.M)


def head_revision() -> str | None:
    """The one revision no migration file names as its down_revision."""
    parents, revisions = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = {k: None if v == "None" else v for k, v in _REVISION.findall(path.read_text())}
        revisions.add(found.get("revision"))
        parents.add(found.get("down_revision"))
    heads = revisions - parents - {None}
    if len(heads) == 1:
        return heads.pop()
    from alembic.script import ScriptDirectory  # none, or several: Alembic's own answer or error

    return ScriptDirectory.from_config(_config()).get_current_head()


def autogenerate(engine: Engine, metadata: MetaData, message: str, rev_id: str) -> None:
    """Developer aid: a new migration from the difference between the models (`assemble().metadata`) and the database."""
    from alembic import command

    with engine.begin() as conn:
        cfg = _config()
        cfg.attributes["connection"] = conn
        cfg.attributes["metadata"] = metadata
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)


def history() -> list[dict]:
    """Every migration from the first to head."""
    from alembic.script import ScriptDirectory

    revisions = list(ScriptDirectory.from_config(_config()).walk_revisions())
    return [
        {"revision": r.revision, "down_revision": r.down_revision, "message": (r.doc or "").splitlines()[0]}
        for r in reversed(revisions)
    ]
