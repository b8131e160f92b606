"""PostgreSQL: pg_dump in custom format from an exported snapshot, and pg_restore into a scratch database.

The row counts in the manifest are read in the same snapshot the dump uses, so they match it exactly
even while writers carry on. psycopg is imported where a connection opens: a site on SQLite never
pays its 10 MB per process.
"""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    import psycopg

PG_DUMP, PG_RESTORE = "pg_dump", "pg_restore"


class PgToolFailed(Exception):
    pass


def libpq_url(engine: Engine) -> str:
    """The engine's URL as pg_dump and psycopg understand it (password included, never logged)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + f"/{name}"


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        raise PgToolFailed(f"{Path(args[0]).name} exited with {done.returncode}: {tail}")


def _connect(url: str, autocommit: bool = False) -> psycopg.Connection:
    import psycopg

    return psycopg.connect(url, autocommit=autocommit)


def row_counts(conn: psycopg.Connection) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    ]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in sorted(names)}


def schema_revision(conn: psycopg.Connection) -> str | None:
    import psycopg

    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except psycopg.Error:
        return None
    return row[0] if row else None


def dump(url: str, target: Path) -> tuple[dict[str, int], str | None]:
    """Dumps the database to target; returns the row counts and schema revision of the same snapshot."""
    with _connect(url) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts, revision = row_counts(conn), schema_revision(conn)
        _run([PG_DUMP, "--format=custom", f"--snapshot={snapshot}", f"--file={target}", f"--dbname={url}"])
        conn.rollback()
    return counts, revision


@contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """A throwaway database on the same server, dropped afterwards whatever happens."""
    name = f"memo_coach_scratch_{secrets.token_hex(4)}"
    with _connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(url, name)
    finally:
        with _connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore(dump_file: Path, url: str, clean: bool = False) -> None:
    """pg_restore in one transaction: a failure leaves the target as it was."""
    args = [PG_RESTORE, "--no-owner", "--single-transaction", "--exit-on-error", f"--dbname={url}"]
    if clean:
        args += ["--clean", "--if-exists"]
    _run([*args, str(dump_file)])


def counts_and_revision(url: str) -> tuple[dict[str, int], str | None]:
    with _connect(url) as conn:
        return row_counts(conn), schema_revision(conn)
