"""Account administration for admins; the same functions serve `memo-coach users`."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from memo_coach.auth import approvals, users
from memo_coach.auth.roles import Role
from memo_coach.web.deps import Admin, Config, DbSession, RowId
from memo_coach.web.envelope import ok

router = APIRouter(prefix="/api/v1/users", tags=["users"])


class NewUser(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=2, max_length=64)
    role: Role = Role.writer
    password: str | None = Field(None, max_length=1024, description="generated and returned once when omitted")


class UserChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role | None = None
    is_active: StrictBool | None = None


def view(user, db=None) -> dict:
    waiting = [approvals.view(a) for a in approvals.pending(db, user.username)] if db is not None else []
    return {
        "pending_approvals": waiting,
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "is_active": user.is_active,
        "created_at": user.created_at.isoformat(),
        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
    }


@router.get("")
def list_all(admin: Admin, db: DbSession):
    return ok([view(u) for u in users.list_users(db)])


@router.get("/approvals")
def list_approvals(admin: Admin, db: DbSession):
    """Admin creations, promotions, re-enablings and password resets waiting for a second admin."""
    return ok([approvals.view(a) for a in approvals.pending(db)])


@router.post("/approvals/{approval_id}/approve")
def approve(approval_id: RowId, admin: Admin, db: DbSession):
    """Carries the change out; a password reset's new password is in the answer, once, for the approver."""
    granted = approvals.approve(db, approval_id, admin)
    return ok({**approvals.view(granted.approval), "password": granted.password})


@router.post("", status_code=201)
def create(body: NewUser, admin: Admin, db: DbSession, config: Config):
    user, password = users.create_user(
        db, body.username, body.role, body.password, actor=admin.username, min_length=config.auth.password_min_length
    )
    return ok({**view(user, db), "password": None if body.password else password}, status=201)


@router.patch("/{username}")
def change(username: str, body: UserChange, admin: Admin, db: DbSession):
    user = users.get_user(db, username)
    if body.role is not None:
        user = users.set_role(db, username, body.role, actor=admin.username)
    if body.is_active is not None:
        user = users.set_active(db, username, body.is_active, actor=admin.username)
    return ok(view(user, db))


@router.post("/{username}/reset-password", responses={202: {"description": "waits for another admin's approval"}})
def reset_password(username: str, admin: Admin, db: DbSession, config: Config):
    """The new password, once; under the two-person rule another admin's reset waits (202) instead."""
    password = users.reset_password(
        db, username, None, actor=admin.username, min_length=config.auth.password_min_length
    )
    if password is None:
        return ok(view(users.get_user(db, username), db), status=202)
    return ok({"username": username, "password": password})
