"""Sliding-window rate limits per account and per client address, counted in the database so every
replica sees the same hits (a limit kept in one process's memory would multiply with the replicas).

Hits are counted in slices of a tenth of the window (one row per key and slice, incremented in
place), so a check costs the same for a key with five hits as for one with fifty thousand; a row per
hit made each submission scan every earlier hit in the window. A slice counts until all of it has left
the window, so a hit is forgotten between one window and 1.1 windows later: never sooner.

Most actions are counted as they are taken (`take`). Guesses of a secret (sign-in, the current
password) are counted only when they fail (`check` before, `count` after a failure), so a stranger's
failures never count against a right password given from elsewhere.
"""

from __future__ import annotations

import importlib
import math
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from memo_coach.auth.config import RateLimit
from memo_coach.auth.models import RateLimitBucket
from memo_coach.auth.sessions import wait_in_words
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


class Counter(NamedTuple):
    """One sliding-window count: its key in the table, how many it allows, and whom a refusal names
    ("from this client"), so the person refused knows whether waiting or moving helps."""

    key: str
    allowed: int
    who: str
    spares_clean: bool = False  # applies only when the first counter (the requester's own) has counted


def per_action(action: str, account: str | None, address: str, limit: RateLimit) -> list[Counter]:
    """Every action of a kind, by one client address and by one account (submissions, chat, PDFs)."""
    counters = [Counter(f"{action}:client:{address}"[:160], limit.per_client, "from this client")]
    if account:
        counters.append(Counter(f"{action}:account:{account.lower()}"[:160], limit.per_account, "from this account"))
    return counters


def sign_in_failures(username: str, address: str, limit: RateLimit) -> list[Counter]:
    """Failed sign-ins of one account from one address, and from one address across accounts.

    Never one account's failures from every address: whoever sends a name could then refuse its owner
    (docs/security.md, "Rate limits"). The address comes first and holds no "/", so no chosen name
    makes one pair's key another's."""
    pair = f"login:pair:{address}/{username.lower()}"[:160]
    return [
        Counter(pair, limit.per_account, "for this account from this address"),
        Counter(f"login:client:{address}"[:160], limit.per_client, "from this address"),
    ]


def password_failures(username: str, session_hash: str, limit: RateLimit) -> list[Counter]:
    """Wrong current passwords given by one session (per_client), and by all of an account's sessions.

    The account's count refuses only sessions that have guessed wrong themselves: a thief's stolen
    sessions cannot keep the owner, signed in afresh, from changing the password that ends them."""
    return [
        Counter(f"password_check:session:{session_hash}"[:160], limit.per_client, "from this session"),
        Counter(
            f"password_check:account:{username.lower()}"[:160], limit.per_account, "for this account", spares_clean=True
        ),
    ]


def _slice_seconds(limit: RateLimit) -> int:
    return max(1, int(limit.window_seconds // SLICES_PER_WINDOW))


def _slice_start(now: datetime, width: int) -> datetime:
    return datetime.fromtimestamp(math.floor(now.timestamp() / width) * width, UTC)


def check(session: Session, counters: list[Counter], what: str, limit: RateLimit, now: datetime) -> None:
    """Raises RateLimited (with the seconds to wait) when a counter is at its limit; writes nothing then.

    `what` names the counted thing in the refusal: "too many {what} from this client; try again in 1 minute"."""
    width = _slice_seconds(limit)
    window = timedelta(seconds=limit.window_seconds)
    first_counted = now - window - timedelta(seconds=width)  # a slice starting after this still counts
    names = [c.key for c in counters]
    connection = session.connection()
    rows = connection.execute(SLICES_OF, {"keys": names}).all()
    counted = [row for row in rows if row.starts_at > first_counted]
    requester_counted = any(row.key == counters[0].key for row in counted)
    for counter in counters:
        own = [row for row in counted if row.key == counter.key]
        if counter.spares_clean and not requester_counted:
            continue
        if sum(row.hits for row in own) >= counter.allowed:
            oldest = min(row.starts_at for row in own)
            wait = max(1, math.ceil((oldest + timedelta(seconds=width) + window - now).total_seconds()))
            raise RateLimited(f"too many {what} {counter.who}; try again in {wait_in_words(wait)}", wait)
    if len(counted) < len(rows):  # slices past the window: gone, so the next check reads only live ones
        connection.execute(PAST_SLICES, {"keys": names, "until": first_counted})


def count(session: Session, counters: list[Counter], limit: RateLimit, now: datetime) -> None:
    """One more for each counter: a single upsert."""
    connection = session.connection()
    starts_at = _slice_start(now, _slice_seconds(limit))
    connection.execute(_upsert(connection.dialect.name), [{"key": c.key, "starts_at": starts_at} for c in counters])


def take(session: Session, action: str, account: str | None, address: str, limit: RateLimit, now: datetime) -> None:
    """Counts one `action`; raises RateLimited (with the seconds to wait) when a key is over its limit.

    A refused action writes nothing; a counted one is a single upsert (and now and then a delete)."""
    counters = per_action(action, account, address, limit)
    check(session, counters, f"{action} requests", limit, now)
    count(session, counters, limit, now)


def purge_old(session: Session, now: datetime, keep_seconds: float = 86_400) -> int:
    """Removes slices older than any window (the daily session purge calls it)."""
    result = session.execute(
        delete(RateLimitBucket).where(RateLimitBucket.starts_at < now - timedelta(seconds=keep_seconds))
    )
    return result.rowcount or 0
