"""A private PostgreSQL database on the machine's server (127.0.0.1:5432) for drills and benchmarks that
run several processes against one database: created empty, dropped afterwards, whatever happened."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

ADMIN_URL = os.environ.get("MEMO_COACH_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def unreachable() -> str | None:
    """Why PostgreSQL cannot be used here, or None when it can."""
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=2):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL not reachable at {ADMIN_URL}: {str(exc).strip().splitlines()[0]}"


@contextmanager
def private_database(prefix: str) -> Iterator[str]:
    """Yields the URL of a new empty database; the processes that used it must be stopped before it is
    dropped (FORCE ends any connection still open)."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
