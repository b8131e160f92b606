"""Login, logout and session lookup. Tokens are random; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.auth.config import AuthConfig, LockoutConfig
from memo_coach.auth.models import LoginAttempt, User, UserSession
from memo_coach.auth.passwords import verify_password
from memo_coach.db.base import utcnow
from memo_coach.errors import LockedOut, Unauthenticated


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _failures_since(session: Session, column, value: str, since: datetime) -> list[datetime]:
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            column == value, LoginAttempt.succeeded.is_(True), LoginAttempt.at >= since
        )
    )
    start = max(since, last_success) if last_success else since
    return list(
        session.scalars(
            select(LoginAttempt.at)
            .where(column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.at > start)
            .order_by(LoginAttempt.at)
        )
    )


def lockout_remaining(session: Session, username: str, address: str, cfg: LockoutConfig, now: datetime) -> int:
    """Seconds until this account or address may try again; 0 when not locked out."""
    since = now - timedelta(minutes=max(cfg.window_minutes, cfg.lockout_minutes))
    remaining = 0.0
    for column, value, limit in (
        (LoginAttempt.username, username.lower(), cfg.max_failures_per_account),
        (LoginAttempt.client_address, address, cfg.max_failures_per_address),
    ):
        failures = _failures_since(session, column, value, since)
        if len(failures) >= limit:
            until = failures[-1] + timedelta(minutes=cfg.lockout_minutes)
            remaining = max(remaining, (until - now).total_seconds())
    return math.ceil(remaining) if remaining > 0 else 0


def wait_in_words(seconds: int) -> str:
    """ "15 minutes", "1 minute", "40 seconds": how a person says a wait (rounded up, never to zero)."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def login(session: Session, username: str, password: str, address: str, cfg: AuthConfig) -> tuple[str, User]:
    """Returns a new session token and its user; raises LockedOut or Unauthenticated with a plain reason."""
    now = utcnow()
    wait = lockout_remaining(session, username, address, cfg.lockout, now)
    if wait:
        audit.record(session, username, "auth.login_refused_locked", address)
        session.commit()
        raise LockedOut(f"too many failed sign-ins; try again in {wait_in_words(wait)}", retry_after=wait)
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    ok = verify_password(password, user.password_hash if user else None) and user is not None and user.is_active
    session.add(LoginAttempt(username=username.lower(), client_address=address, succeeded=ok, at=now))
    if not ok:
        audit.record(session, username, "auth.login_failed", address)
        session.commit()  # the refusal must not roll back the very attempt that counts toward lockout
        raise Unauthenticated("wrong username or password, or the account is disabled")
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=token_hash(token),
            user_id=user.id,
            client_address=address,
            expires_at=now + timedelta(hours=cfg.session_hours),
        )
    )
    user.last_login_at = now
    audit.record(session, user.username, "auth.login", address)
    return token, user


def user_for_token(session: Session, token: str | None) -> User | None:
    if not token:
        return None
    row = session.scalar(select(UserSession).where(UserSession.token_hash == token_hash(token)))
    if row is None or row.expires_at <= utcnow() or not row.user.is_active:
        return None
    return row.user


def session_expiry(session: Session, token: str) -> datetime | None:
    return session.scalar(select(UserSession.expires_at).where(UserSession.token_hash == token_hash(token)))


def logout(session: Session, token: str) -> bool:
    result = session.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))
    return bool(result.rowcount)


def purge_expired(session: Session) -> int:
    return session.execute(delete(UserSession).where(UserSession.expires_at <= utcnow())).rowcount or 0
