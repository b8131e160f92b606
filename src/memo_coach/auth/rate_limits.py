"""Sliding-window rate limits per account and per client address, counted in the database so every
replica sees the same hits (a limit kept in one process's memory would multiply with the replicas).

Hits are counted in slices of a tenth of the window (one row per key and slice, incremented in
place), so a check costs the same for a key with five hits as for one with fifty thousand; a row per
hit made each submission scan every earlier hit in the window. A slice counts until all of it has left
the window, so a hit is forgotten between one window and 1.1 windows later: never sooner.
"""

from __future__ import annotations

import importlib
import math
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from memo_coach.auth.config import RateLimit
from memo_coach.auth.models import RateLimitBucket
from memo_coach.errors import RateLimited

SLICES_PER_WINDOW = 10


_slices = RateLimitBucket.__table__.c
# Prepared once: this runs on every sign-in, submission, chat question and PDF.
SLICES_OF = select(_slices.key, _slices.starts_at, _slices.hits).where(
    _slices.key.in_(bindparam("keys", expanding=True))
)
PAST_SLICES = delete(RateLimitBucket.__table__).where(
    _slices.key.in_(bindparam("keys", expanding=True)), _slices.starts_at <= bindparam("until")
)


@cache
def _upsert(dialect: str):
    """One hit more for a key's slice, the row made if need be. The dialect's module is imported here:
    SQLAlchemy's PostgreSQL dialect costs a SQLite installation's every command 30 ms to import."""
    table = RateLimitBucket.__table__
    insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
    statement = insert(table).values(key=bindparam("key"), starts_at=bindparam("starts_at"), hits=1)
    return statement.on_conflict_do_update(index_elements=["key", "starts_at"], set_={"hits": table.c.hits + 1})


def _keys(action: str, account: str | None, address: str, limit: RateLimit) -> list[tuple[str, int]]:
    keys = [(f"{action}:client:{address}"[:160], limit.per_client)]
    if account:
        keys.append((f"{action}:account:{account.lower()}"[:160], limit.per_account))
    return keys


def _slice_seconds(limit: RateLimit) -> int:
    return max(1, int(limit.window_seconds // SLICES_PER_WINDOW))


def _slice_start(now: datetime, width: int) -> datetime:
    return datetime.fromtimestamp(math.floor(now.timestamp() / width) * width, UTC)


def take(session: Session, action: str, account: str | None, address: str, limit: RateLimit, now: datetime) -> None:
    """Counts one `action`; raises RateLimited (with the seconds to wait) when a key is over its limit.

    A refused action writes nothing; a counted one is a single upsert (and now and then a delete)."""
    width = _slice_seconds(limit)
    window = timedelta(seconds=limit.window_seconds)
    first_counted = now - window - timedelta(seconds=width)  # a slice starting after this still counts
    keys = _keys(action, account, address, limit)
    names = [k for k, _ in keys]
    connection = session.connection()
    rows = connection.execute(SLICES_OF, {"keys": names}).all()
    counted = [row for row in rows if row.starts_at > first_counted]
    for key, allowed in keys:
        own = [row for row in counted if row.key == key]
        if sum(row.hits for row in own) >= allowed:
            oldest = min(row.starts_at for row in own)
            wait = max(1, math.ceil((oldest + timedelta(seconds=width) + window - now).total_seconds()))
            who = "this account" if ":account:" in key else "this client"
            raise RateLimited(f"too many {action} requests from {who}; try again in {wait} seconds", wait)
    starts_at = _slice_start(now, width)
    connection.execute(_upsert(connection.dialect.name), [{"key": k, "starts_at": starts_at} for k in names])
    if len(counted) < len(rows):  # slices past the window: gone, so the next check reads only live ones
        connection.execute(PAST_SLICES, {"keys": names, "until": first_counted})


def purge_old(session: Session, now: datetime, keep_seconds: float = 86_400) -> int:
    """Removes slices older than any window (the daily session purge calls it)."""
    result = session.execute(
        delete(RateLimitBucket).where(RateLimitBucket.starts_at < now - timedelta(seconds=keep_seconds))
    )
    return result.rowcount or 0
