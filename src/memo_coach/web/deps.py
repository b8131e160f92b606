"""Dependencies that make each route's access rule visible in its signature."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from memo_coach.auth.models import User
from memo_coach.auth.roles import Role
from memo_coach.auth.sessions import user_for_token
from memo_coach.coaching.service import Coach
from memo_coach.config_store.versions import ActiveConfig
from memo_coach.errors import Forbidden, Unauthenticated
from memo_coach.settings import Settings

SESSION_HEADER = "X-Session-Token"


def get_db(request: Request) -> Iterator[Session]:
    """A unit of work per request: committed when the route returns, rolled back when it raises."""
    session = request.app.state.sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_db, scope="function")]


def session_token(request: Request) -> str | None:
    """API clients send the header; pages (later) the HttpOnly cookie."""
    return request.headers.get(SESSION_HEADER) or request.state.__dict__.get("cookie_token")


class RoleRequirement:
    """The least role a route needs; `None` marks a route as deliberately public.

    Routes carry an instance of this class, so the access test can find every route's rule.
    """

    def __init__(self, role: Role | None) -> None:
        self.role = role

    def __call__(self, request: Request, db: DbSession) -> User | None:
        if self.role is None:
            return None
        user = user_for_token(db, session_token(request))
        if user is None:
            raise Unauthenticated("sign in first: send a valid session token")
        if not Role(user.role).includes(self.role):
            raise Forbidden(f"this needs the {self.role.value} role")
        request.state.user = user
        return user


PUBLIC = RoleRequirement(None)
Writer = Annotated[User, Depends(RoleRequirement(Role.writer))]
Operator = Annotated[User, Depends(RoleRequirement(Role.operator))]
Admin = Annotated[User, Depends(RoleRequirement(Role.admin))]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_coach(request: Request) -> Coach:
    return request.app.state.coach


def get_config(request: Request, db: DbSession) -> ActiveConfig:
    return request.app.state.coach.config.current(db)


AppSettings = Annotated[Settings, Depends(get_settings)]
CoachDep = Annotated[Coach, Depends(get_coach)]
Config = Annotated[ActiveConfig, Depends(get_config)]
