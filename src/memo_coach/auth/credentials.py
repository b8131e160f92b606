"""Setting another account's password, and what that leaves behind: whoever saw the new password can
sign in as that account, so for a while the two must not count as two people.

The two-person rule assumes each admin account is a different person. A password reset breaks that
silently: the admin who saw the new password can act as the account, and a reset before the rule
was turned on, or one carried out by the admin who approved it, would otherwise let one person
propose as one account and approve as another. `refuse_linked` closes that for LINK_DAYS, which is
at least one monthly access review, and by then the real owner, locked out by the reset, has noticed.
A change of the password by "the owner" afterwards does not end the link: the one who reset it could
have made that change too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.audit.models import AuditEvent
from memo_coach.auth.models import User
from memo_coach.auth.passwords import hash_password
from memo_coach.db.base import utcnow
from memo_coach.errors import Forbidden

PASSWORD_RESET = "user.password_reset"  # audited with the actor who saw the new password
LINK_DAYS = 30


def reset(session: Session, user: User, password: str, *, actor: str, details: dict | None = None) -> None:
    """Puts a password someone else chose or saw in place; every session of the account ends."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.must_change_password = True  # an initial password someone else saw; the access review flags it
    user.sessions.clear()
    audit.record(session, actor, PASSWORD_RESET, user.username, details)


def controllers(session: Session, username: str, now: datetime) -> set[str]:
    """The account and everyone who saw a password set for it in the last LINK_DAYS."""
    since = now - timedelta(days=LINK_DAYS)
    query = select(AuditEvent.actor).where(
        AuditEvent.action == PASSWORD_RESET, AuditEvent.target == username, AuditEvent.at >= since
    )
    return {username, *session.scalars(query)}


def refuse_linked(session: Session, other: str, approver: str) -> None:
    """Refuses `approver` deciding on a change by (or of) `other` when one person could be signed in as
    both: either reset the other's password, or a third person reset both, in the last LINK_DAYS."""
    now = utcnow()
    shared = controllers(session, approver, now) & controllers(session, other, now)
    if shared:
        raise Forbidden(
            f"{approver} cannot approve this: in the last {LINK_DAYS} days {', '.join(sorted(shared))} set the "
            f"password of {approver} or {other}, so one person could be acting as both; another admin must approve",
            code="linked_approver",
        )
