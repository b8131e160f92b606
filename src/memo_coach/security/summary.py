"""Security summaries from the rows that exist: login attempts, lockouts, accounts and their roles.

A name typed at a failed sign-in that is no account is often a password typed into the wrong field,
so it is never shown: such failures are counted as "unknown account", and only real accounts are named.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach.audit.models import AuditEvent
from memo_coach.auth.models import LoginAttempt, User
from memo_coach.auth.sessions import LOCKED

ROLE_CHANGES = ("user.created", "user.role_changed", "user.enabled", "user.disabled", "user.password_reset")
# Audit events whose actor is whatever was typed as the username, account or not.
TYPED_NAME_EVENTS = ("auth.login_failed", "auth.login_refused_locked", LOCKED)


def account_names(session: Session) -> set[str]:
    """Every account's name, lower-cased as sign-in attempts record them."""
    return set(session.scalars(select(func.lower(User.username))))


def unknown_sign_in_names(session: Session) -> set[str]:
    """Every name (lower-cased) typed at a failed sign-in that is no account: what must not leave the
    machine, since it may be someone's password."""
    typed = set(session.scalars(select(LoginAttempt.username).where(LoginAttempt.succeeded.is_(False)).distinct()))
    actors = session.scalars(select(AuditEvent.actor).where(AuditEvent.action.in_(TYPED_NAME_EVENTS)).distinct())
    return (typed | {a.lower() for a in actors}) - account_names(session)


def security_summary(session: Session, now: datetime, hours: float = 24) -> dict:
    """Failed sign-ins and lockouts in the last `hours`, with the addresses and accounts behind them."""
    since = now - timedelta(hours=hours)
    failures = session.execute(
        select(LoginAttempt.username, LoginAttempt.client_address).where(
            LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False)
        )
    ).all()
    lockouts = session.scalars(
        select(AuditEvent.actor).where(AuditEvent.at >= since, AuditEvent.action == "auth.login_refused_locked")
    ).all()
    successes = session.scalar(
        select(LoginAttempt.id).where(LoginAttempt.at >= since, LoginAttempt.succeeded.is_(True)).limit(1)
    )
    accounts = account_names(session)
    unknown = [u for u, _ in failures if u not in accounts]
    return {
        "since": since.isoformat(),
        "failed_logins": len(failures),
        "lockout_refusals": len(lockouts),
        "locked_accounts": sorted({a for a in lockouts if a.lower() in accounts}),
        "locked_unknown_names": len({a.lower() for a in lockouts if a.lower() not in accounts}),
        "top_addresses": Counter(a for _, a in failures).most_common(5),
        "top_accounts": Counter(u for u, _ in failures if u in accounts).most_common(5),
        "unknown_account_failures": len(unknown),
        "unknown_account_names": len(set(unknown)),
        "any_success": successes is not None,
    }


def access_audit(session: Session, now: datetime, idle_days: int = 90) -> dict:
    """Who holds which role, who has not signed in for `idle_days`, and role changes in the last month."""
    users = list(session.scalars(select(User).order_by(User.username)))
    idle_since = now - timedelta(days=idle_days)
    changes = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.at >= now - timedelta(days=31), AuditEvent.action.in_(ROLE_CHANGES))
        .order_by(AuditEvent.id)
    ).all()
    return {
        "accounts": len(users),
        "by_role": dict(Counter(u.role for u in users if u.is_active)),
        "privileged": [
            {"username": u.username, "role": u.role} for u in users if u.is_active and u.role in ("operator", "admin")
        ],
        "idle": [u.username for u in users if u.is_active and (u.last_login_at or u.created_at) < idle_since],
        "disabled": [u.username for u in users if not u.is_active],
        "changes": [
            {"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "target": e.target} for e in changes
        ],
    }
