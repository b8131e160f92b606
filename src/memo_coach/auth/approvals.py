"""The two-person rule for admin accounts: while auth.yaml's `require_approval` is on, creating an
admin, promoting someone to admin, re-enabling an admin and resetting another admin's password wait
for a different admin's approval (neither the requester nor the account).

Without this one admin could create a second admin, or take one over by resetting its password, and
approve their own configuration change with it. A reset is carried out by the admin who approves it,
who alone sees the new password: the one who asked never does. Demoting, disabling or signing out
another admin stays immediate: it takes rights away (a compromised admin must be stopped at once) and
gives the one who does it nothing to approve with.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.auth import credentials, totp
from memo_coach.auth.models import AccountApproval, User
from memo_coach.auth.passwords import generate_password, verify_password
from memo_coach.auth.roles import Role
from memo_coach.config_store.changes import approval_required
from memo_coach.db.base import utcnow
from memo_coach.errors import Conflict, Forbidden, NotFound, Unauthenticated

CREATE, PROMOTE, ENABLE, RESET = "create_admin", "promote_admin", "enable_admin", "reset_password"
PENDING, APPROVED = "pending", "approved"
SYSTEM = "system"  # the first admin of an empty database needs nobody's approval


@dataclass(frozen=True)
class Granted:
    """An approval carried out; `password` is a reset's new password, shown once to the approver."""

    approval: AccountApproval
    password: str | None = None


def must_wait(session: Session, actor: str) -> bool:
    return actor != SYSTEM and approval_required(session)


def request(session: Session, username: str, change: str, actor: str) -> AccountApproval:
    approval = AccountApproval(username=username, change=change, requested_by=actor, status=PENDING)
    session.add(approval)
    session.flush()
    audit.record(session, actor, "user.admin_approval_requested", username, {"change": change, "id": approval.id})
    return approval


def pending(session: Session, username: str | None = None) -> list[AccountApproval]:
    query = select(AccountApproval).where(AccountApproval.status == PENDING).order_by(AccountApproval.id)
    if username:
        query = query.where(AccountApproval.username == username)
    return list(session.scalars(query))


def approve(session: Session, approval_id: int, approver: User) -> Granted:
    """Carries out the waiting change; the approver must be an admin other than the requester and the
    account, and not linked to either by a recent password reset (credentials.py)."""
    approval = session.get(AccountApproval, approval_id)
    if approval is None or approval.status != PENDING:
        raise NotFound(f"no pending approval {approval_id}")
    if approver.role != Role.admin.value:
        raise Forbidden("only an admin may approve")
    if approver.username in (approval.requested_by, approval.username):
        raise Conflict("a different admin must approve: neither the requester nor the account itself")
    for other in (approval.requested_by, approval.username):
        credentials.refuse_linked(session, other, approver.username)
    user = session.scalar(select(User).where(User.username == approval.username))
    if user is None:
        raise NotFound(f"no user {approval.username!r}")
    password = None
    if approval.change == PROMOTE:
        user.role = Role.admin.value
    elif approval.change == RESET:
        password = generate_password()
        details = {"approval": approval.id, "requested_by": approval.requested_by}
        credentials.reset(session, user, password, actor=approver.username, details=details)
    else:
        user.is_active = True
    approval.status, approval.decided_by, approval.decided_at = APPROVED, approver.username, utcnow()
    audit.record(session, approver.username, "user.admin_approval_granted", user.username, {"change": approval.change})
    return Granted(approval, password)


def confirm_admin(
    session: Session, username: str, password: str, code: str | None, *, shell: str, purpose: str
) -> User:
    """The named admin, once their own password (and second factor) prove they are at the keyboard.

    A shell reaches the database but is no admin: it may approve only with an admin who is present,
    never by naming one. The confirmation is audited with the shell account that asked.
    """
    user = session.scalar(select(User).where(User.username == username))
    known = verify_password(password, user.password_hash if user else None) and user is not None
    if not (known and user.is_active and user.role == Role.admin.value and totp.second_factor_ok(session, user, code)):
        raise Unauthenticated(f"{username}: wrong password or code, or not an active admin")
    if user.must_change_password:
        raise Forbidden(f"{username} must first choose their own password: this one was set by someone else")
    audit.record(session, user.username, "auth.confirmed_in_shell", shell, {"purpose": purpose})
    return user


def view(approval: AccountApproval) -> dict:
    return {
        "id": approval.id,
        "username": approval.username,
        "change": approval.change,
        "requested_by": approval.requested_by,
        "requested_at": approval.requested_at.isoformat(),
        "status": approval.status,
    }
