"""Sliding-window rate limits per account and per client address, counted in the database so every
replica sees the same hits (a limit kept in one process's memory would multiply with the replicas)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from memo_coach.auth.config import RateLimit
from memo_coach.auth.models import RateLimitHit
from memo_coach.errors import RateLimited


def _keys(action: str, account: str | None, address: str, limit: RateLimit) -> list[tuple[str, int]]:
    keys = [(f"{action}:client:{address}"[:160], limit.per_client)]
    if account:
        keys.append((f"{action}:account:{account.lower()}"[:160], limit.per_account))
    return keys


def take(session: Session, action: str, account: str | None, address: str, limit: RateLimit, now: datetime) -> None:
    """Counts one `action`; raises RateLimited (with the seconds to wait) when a key is over its limit."""
    since = now - timedelta(seconds=limit.window_seconds)
    keys = _keys(action, account, address, limit)
    session.execute(delete(RateLimitHit).where(RateLimitHit.key.in_([k for k, _ in keys]), RateLimitHit.at < since))
    for key, allowed in keys:
        count, oldest = session.execute(
            select(func.count(RateLimitHit.id), func.min(RateLimitHit.at)).where(
                RateLimitHit.key == key, RateLimitHit.at >= since
            )
        ).one()
        if count >= allowed:
            wait = max(1, math.ceil((oldest + timedelta(seconds=limit.window_seconds) - now).total_seconds()))
            who = "this account" if ":account:" in key else "this client"
            raise RateLimited(f"too many {action} requests from {who}; try again in {wait} seconds", wait)
    session.add_all(RateLimitHit(key=key, at=now) for key, _ in keys)


def purge_old(session: Session, now: datetime, keep_seconds: float = 86_400) -> int:
    """Removes hits older than any window (the upkeep task calls it)."""
    result = session.execute(delete(RateLimitHit).where(RateLimitHit.at < now - timedelta(seconds=keep_seconds)))
    return result.rowcount or 0
