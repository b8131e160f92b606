"""Account administration; every change is audited."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.auth.models import User, UserSession
from memo_coach.auth.passwords import generate_password, hash_password
from memo_coach.auth.roles import Role
from memo_coach.errors import Conflict, InvalidInput, NotFound

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$")
FIRST_ADMIN = "admin"


def _check_password(password: str, min_length: int) -> None:
    if len(password) < min_length:
        raise InvalidInput(f"password must be at least {min_length} characters", field="password")


def create_user(
    session: Session, username: str, role: Role, password: str | None, *, actor: str, min_length: int = 12
) -> tuple[User, str]:
    """Creates an account; returns it with its password (generated when none is given, shown once)."""
    if not USERNAME.match(username):
        raise InvalidInput(
            "username must be 2-64 letters, digits or . _ @ -, starting with a letter or digit", field="username"
        )
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise Conflict(f"user {username!r} already exists", field="username")
    password = password or generate_password()
    _check_password(password, min_length)
    user = User(username=username, role=Role(role).value, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.created", username, {"role": user.role})
    return user, password


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}", field="username")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def set_active(session: Session, username: str, active: bool, *, actor: str) -> User:
    user = get_user(session, username)
    user.is_active = active
    if not active:
        user.sessions.clear()  # a disabled account loses its sessions at once
    audit.record(session, actor, "user.enabled" if active else "user.disabled", username)
    return user


def set_role(session: Session, username: str, role: Role, *, actor: str) -> User:
    user = get_user(session, username)
    before, user.role = user.role, Role(role).value
    audit.record(session, actor, "user.role_changed", username, {"from": before, "to": user.role})
    return user


def reset_password(session: Session, username: str, password: str | None, *, actor: str, min_length: int = 12) -> str:
    user = get_user(session, username)
    password = password or generate_password()
    _check_password(password, min_length)
    user.password_hash = hash_password(password)
    user.sessions.clear()
    audit.record(session, actor, "user.password_reset", username)
    return password


def ensure_first_admin(session: Session) -> str | None:
    """On a database with no users, creates `admin` with a random password and returns it (once)."""
    if session.scalar(select(func.count(User.id))):
        return None
    _, password = create_user(session, FIRST_ADMIN, Role.admin, None, actor="system")
    return password


def active_session_count(session: Session, now) -> int:
    return session.scalar(select(func.count(UserSession.id)).where(UserSession.expires_at > now)) or 0
