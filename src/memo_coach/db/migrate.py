"""Schema changes only through Alembic, from the very first table.

Alembic is imported inside the functions: it costs a fifth of a second, and most commands
(`memo-coach doctor` above all, which must answer fast) never migrate.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, MetaData

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
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

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
