"""Login, logout and session lookup. Tokens are random; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.audit.models import AuditEvent
from memo_coach.auth import totp
from memo_coach.auth.config import AuthConfig, LockoutConfig
from memo_coach.auth.models import LoginAttempt, User, UserSession
from memo_coach.auth.passwords import verify_password
from memo_coach.db.base import utcnow
from memo_coach.errors import LockedOut, NotFound, Unauthenticated

LOCKED = "auth.locked"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _failures_since(session: Session, where: list, since: datetime) -> list[datetime]:
    """Failed attempts matching `where` since the later of `since` and the last success matching it."""
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(*where, LoginAttempt.succeeded.is_(True), LoginAttempt.at >= since)
    )
    start = max(since, last_success) if last_success else since
    return list(
        session.scalars(
            select(LoginAttempt.at)
            .where(*where, LoginAttempt.succeeded.is_(False), LoginAttempt.at > start)
            .order_by(LoginAttempt.at)
        )
    )


def lockout_remaining(session: Session, username: str, address: str, cfg: LockoutConfig, now: datetime) -> int:
    """Seconds until this account may try again from this address; 0 when not locked out.

    An account is locked only for the client that failed (account and address together), so a
    stranger guessing `admin` cannot keep the real admin out; an address that fails across many
    accounts is locked as a whole. Each further lock of the same pair doubles its length (up to 16x).
    """
    since = now - timedelta(minutes=max(cfg.window_minutes, cfg.lockout_minutes * 16))
    remaining = 0.0
    pair = [LoginAttempt.username == username.lower(), LoginAttempt.client_address == address]
    for where, limit in (
        (pair, cfg.max_failures_per_account),
        ([LoginAttempt.client_address == address], cfg.max_failures_per_address),
    ):
        failures = _failures_since(session, where, since)
        window = [t for t in failures if t > now - timedelta(minutes=cfg.window_minutes)]
        if len(window) >= limit:
            backoff = 2 ** min(len(failures) // limit - 1, 4)
            until = failures[-1] + timedelta(minutes=cfg.lockout_minutes * backoff)
            remaining = max(remaining, (until - now).total_seconds())
    return math.ceil(remaining) if remaining > 0 else 0


def wait_in_words(seconds: int) -> str:
    """ "15 minutes", "1 minute", "40 seconds": how a person says a wait (rounded up, never to zero)."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def lockouts_since(session: Session, since: datetime) -> int:
    """Locks that began since `since` (each is an audit event): what an alert on repeated lockouts reads."""
    return (
        session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == LOCKED, AuditEvent.at >= since))
        or 0
    )


def login(
    session: Session, username: str, password: str, address: str, cfg: AuthConfig, otp: str | None = None
) -> tuple[str, User]:
    """Returns a new session token and its user; raises LockedOut or Unauthenticated with a plain reason."""
    now = utcnow()
    wait = lockout_remaining(session, username, address, cfg.lockout, now)
    if wait:
        audit.record(session, username[:64], "auth.login_refused_locked", address)
        session.commit()
        raise LockedOut(f"too many failed sign-ins; try again in {wait_in_words(wait)}", retry_after=wait)
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    ok = verify_password(password, user.password_hash if user else None) and user is not None and user.is_active
    if ok and user.totp_enabled and not otp:
        # The password was right: ask for the code without counting a failure.
        raise Unauthenticated("enter the code from your authenticator app (or a recovery code)", code="otp_required")
    ok = ok and totp.second_factor_ok(session, user, otp)
    session.add(LoginAttempt(username=username.lower(), client_address=address, succeeded=ok, at=now))
    if not ok:
        audit.record(session, username[:64], "auth.login_failed", address)
        session.flush()
        if lockout_remaining(session, username, address, cfg.lockout, now):
            audit.record(session, username[:64], LOCKED, address)
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


# One query, loading only the user, built once: this runs on every signed-in request, and building
# the statement (and its cache key) each time cost more than running it (0.31 ms against 0.13).
USER_FOR_TOKEN = (
    select(User)
    .join(UserSession, UserSession.user_id == User.id)
    .where(
        UserSession.token_hash == bindparam("token_hash"),
        UserSession.expires_at > bindparam("now"),
        User.is_active.is_(True),
    )
)


def user_for_token(session: Session, token: str | None) -> User | None:
    if not token:
        return None
    return session.scalar(USER_FOR_TOKEN, {"token_hash": token_hash(token), "now": utcnow()})


def session_expiry(session: Session, token: str) -> datetime | None:
    return session.scalar(select(UserSession.expires_at).where(UserSession.token_hash == token_hash(token)))


def logout(session: Session, token: str) -> bool:
    result = session.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))
    return bool(result.rowcount)


def purge_expired(session: Session) -> int:
    return session.execute(delete(UserSession).where(UserSession.expires_at <= utcnow())).rowcount or 0


def own_sessions(session: Session, user: User) -> list[UserSession]:
    return list(
        session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.expires_at > utcnow())
            .order_by(UserSession.created_at.desc())
        )
    )


def revoke_own_session(session: Session, user: User, session_id: int) -> None:
    """Ends one of the user's own sessions (another device); another user's id is simply not found."""
    result = session.execute(delete(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id))
    if not result.rowcount:
        raise NotFound(f"no session {session_id} of yours")
    audit.record(session, user.username, "auth.session_revoked", user.username, {"session_id": session_id})
