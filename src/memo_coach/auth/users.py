"""Account administration; every change is audited."""

from __future__ import annotations

import re

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.auth import approvals, credentials
from memo_coach.auth.models import User, UserSession
from memo_coach.auth.password_policy import check_password
from memo_coach.auth.passwords import generate_password, hash_password, verify_password
from memo_coach.auth.roles import Role
from memo_coach.db.base import utcnow
from memo_coach.errors import Conflict, InvalidInput, NotFound

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$")
FIRST_ADMIN = "admin"


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
    check_password(password, min_length, username)
    user = User(
        username=username, role=Role(role).value, password_hash=hash_password(password), must_change_password=True
    )
    waits = user.role == Role.admin.value and approvals.must_wait(session, actor)
    user.is_active = not waits  # a new admin stays disabled until a different admin approves
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.created", username, {"role": user.role})
    if waits:
        approvals.request(session, username, approvals.CREATE, actor)
    return user, password


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}", field="username")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def refuse_removing_last_admin(session: Session, user: User, role: str, active: bool) -> None:
    """Nobody may demote, disable or erase the last active admin: nobody could then administer the service.

    The active admins' rows are locked before they are counted (a no-op UPDATE: row locks on
    PostgreSQL, the write lock on SQLite), so two admins disabling each other at the same moment
    cannot both pass the count and leave none.
    """
    if user.role != Role.admin.value or not user.is_active or (role == Role.admin.value and active):
        return
    admins = User.role == Role.admin.value, User.is_active.is_(True)
    session.execute(
        update(User).where(*admins).values(is_active=User.is_active).execution_options(synchronize_session=False)
    )
    if session.scalar(select(func.count(User.id)).where(*admins)) <= 1:
        raise Conflict(f"{user.username} is the last active admin; make another admin first", field="username")


def set_active(session: Session, username: str, active: bool, *, actor: str) -> User:
    user = get_user(session, username)
    refuse_removing_last_admin(session, user, user.role, active)
    if active and not user.is_active and user.role == Role.admin.value and approvals.must_wait(session, actor):
        approvals.request(session, username, approvals.ENABLE, actor)
        return user
    user.is_active = active
    if not active:
        user.sessions.clear()  # a disabled account loses its sessions at once
    audit.record(session, actor, "user.enabled" if active else "user.disabled", username)
    return user


def set_role(session: Session, username: str, role: Role, *, actor: str) -> User:
    user = get_user(session, username)
    refuse_removing_last_admin(session, user, Role(role).value, user.is_active)
    if Role(role) == Role.admin and user.role != Role.admin.value and approvals.must_wait(session, actor):
        approvals.request(session, username, approvals.PROMOTE, actor)
        return user
    before, user.role = user.role, Role(role).value
    audit.record(session, actor, "user.role_changed", username, {"from": before, "to": user.role})
    return user


def reset_password(
    session: Session, username: str, password: str | None, *, actor: str, min_length: int = 12
) -> str | None:
    """The new password (shown once), or None when it waits: under the two-person rule another admin's
    password is reset only by a third admin's approval, and that admin alone sees it (approvals.py)."""
    user = get_user(session, username)
    if user.role == Role.admin.value and actor != user.username and approvals.must_wait(session, actor):
        approvals.request(session, username, approvals.RESET, actor)
        return None
    password = password or generate_password()
    check_password(password, min_length, username)
    credentials.reset(session, user, password, actor=actor)
    return password


def change_own_password(
    session: Session, user: User, current: str, new: str, *, keep_token_hash: str | None, min_length: int = 12
) -> None:
    """The signed-in user's own change: the current password proves it is them; every other session ends."""
    if not verify_password(current, user.password_hash):
        raise InvalidInput("the current password is wrong", field="current_password")
    if new == current:
        raise InvalidInput("the new password must differ from the current one", field="new_password")
    try:
        check_password(new, min_length, user.username)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="new_password") from None
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    user.sessions[:] = [s for s in user.sessions if s.token_hash == keep_token_hash]
    audit.record(session, user.username, "user.password_changed", user.username)


def ensure_first_admin(session: Session) -> str | None:
    """On a database with no users, creates `admin` with a random password and returns it (once)."""
    if session.scalar(select(func.count(User.id))):
        return None
    user, password = create_user(session, FIRST_ADMIN, Role.admin, None, actor="system")
    user.must_change_password = True
    return password


def end_sessions(session: Session, username: str, *, actor: str) -> int:
    """Signs an account out everywhere (a lost laptop, a suspicion); returns how many sessions ended."""
    user = get_user(session, username)
    count = len(user.sessions)
    user.sessions.clear()
    audit.record(session, actor, "user.sessions_ended", username, {"sessions": count})
    return count


def session_counts(session: Session, now) -> dict[int, int]:
    rows = session.execute(
        select(UserSession.user_id, func.count(UserSession.id))
        .where(UserSession.expires_at > now)
        .group_by(UserSession.user_id)
    )
    return {user_id: count for user_id, count in rows}
