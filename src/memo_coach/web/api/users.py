"""Account administration for admins; the same functions serve `memo-coach users`."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from memo_coach.auth import users
from memo_coach.auth.roles import Role
from memo_coach.web.deps import Admin, Config, DbSession
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
    is_active: bool | None = None


def view(user) -> dict:
    return {
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


@router.post("", status_code=201)
def create(body: NewUser, admin: Admin, db: DbSession, config: Config):
    user, password = users.create_user(
        db, body.username, body.role, body.password, actor=admin.username, min_length=config.auth.password_min_length
    )
    return ok({**view(user), "password": None if body.password else password}, status=201)


@router.patch("/{username}")
def change(username: str, body: UserChange, admin: Admin, db: DbSession):
    user = users.get_user(db, username)
    if body.role is not None:
        user = users.set_role(db, username, body.role, actor=admin.username)
    if body.is_active is not None:
        user = users.set_active(db, username, body.is_active, actor=admin.username)
    return ok(view(user))


@router.post("/{username}/reset-password")
def reset_password(username: str, admin: Admin, db: DbSession, config: Config):
    password = users.reset_password(
        db, username, None, actor=admin.username, min_length=config.auth.password_min_length
    )
    return ok({"username": username, "password": password})
