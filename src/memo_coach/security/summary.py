"""Security summaries from the rows that exist: login attempts, lockouts, accounts and their roles."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.audit.models import AuditEvent
from memo_coach.auth.models import LoginAttempt, User

ROLE_CHANGES = ("user.created", "user.role_changed", "user.enabled", "user.disabled", "user.password_reset")


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
    return {
        "since": since.isoformat(),
        "failed_logins": len(failures),
        "lockout_refusals": len(lockouts),
        "locked_accounts": sorted(set(lockouts)),
        "top_addresses": Counter(a for _, a in failures).most_common(5),
        "top_accounts": Counter(u for u, _ in failures).most_common(5),
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
