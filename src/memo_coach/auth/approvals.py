"""The two-person rule for admin accounts: while auth.yaml's `require_approval` is on, creating an
admin, promoting someone to admin and re-enabling an admin wait for a different admin's approval.

Without this one admin could create a second admin and approve their own configuration change with it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.auth.models import AccountApproval, User
from memo_coach.auth.roles import Role
from memo_coach.config_store.changes import approval_required
from memo_coach.db.base import utcnow
from memo_coach.errors import Conflict, Forbidden, NotFound

CREATE, PROMOTE, ENABLE = "create_admin", "promote_admin", "enable_admin"
PENDING, APPROVED = "pending", "approved"
SYSTEM = "system"  # the first admin of an empty database needs nobody's approval


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


def approve(session: Session, approval_id: int, approver: User) -> AccountApproval:
    """Carries out the waiting change; the approver must be an admin other than the requester and the account."""
    approval = session.get(AccountApproval, approval_id)
    if approval is None or approval.status != PENDING:
        raise NotFound(f"no pending approval {approval_id}")
    if approver.role != Role.admin.value:
        raise Forbidden("only an admin may approve")
    if approver.username in (approval.requested_by, approval.username):
        raise Conflict("a different admin must approve: neither the requester nor the account itself")
    user = session.scalar(select(User).where(User.username == approval.username))
    if user is None:
        raise NotFound(f"no user {approval.username!r}")
    if approval.change == PROMOTE:
        user.role = Role.admin.value
    else:
        user.is_active = True
    approval.status, approval.decided_by, approval.decided_at = APPROVED, approver.username, utcnow()
    audit.record(session, approver.username, "user.admin_approval_granted", user.username, {"change": approval.change})
    return approval


def view(approval: AccountApproval) -> dict:
    return {
        "id": approval.id,
        "username": approval.username,
        "change": approval.change,
        "requested_by": approval.requested_by,
        "requested_at": approval.requested_at.isoformat(),
        "status": approval.status,
    }
