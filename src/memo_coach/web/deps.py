"""Dependencies that make each route's access rule visible in its signature."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated

import anyio
from fastapi import Depends, FastAPI, Path, Request
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from memo_coach.auth.models import User
from memo_coach.auth.roles import Role, require_role
from memo_coach.auth.sessions import user_for_token
from memo_coach.coaching.service import Coach
from memo_coach.config_store.versions import ActiveConfig
from memo_coach.db.engine import release_connection, session_scope
from memo_coach.runtime import Runtime
from memo_coach.settings import Settings

SESSION_HEADER = "X-Session-Token"
# Row ids fit a signed 64-bit integer on both databases; anything larger is a 422, not an overflow.
MAX_ROW_ID = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


def runtime_of(request_or_app: Request | FastAPI) -> Runtime:
    """The process's runtime (runtime.py), which create_app hands the app: the one thing the web door
    keeps on the app, read only here."""
    app = request_or_app if isinstance(request_or_app, FastAPI) else request_or_app.app
    return app.state.runtime


async def get_db(request: Request) -> AsyncIterator[Session]:
    """A unit of work per request: committed when the route returns, rolled back when it raises.

    Async, and it goes to the thread pool only when a transaction is still open: most requests have
    released their read-only one already, and two trips to the pool per request (to open and to end
    a session that holds no connection yet or any more) cost more than many routes' own work."""
    session = runtime_of(request).sessions()
    try:
        yield session
        await _end(session.commit, session)
    except BaseException:
        # Detach first: a rollback would expire the signed-in user, and the error page still shows it.
        session.expunge_all()
        await _end(session.rollback, session)
        raise
    finally:
        await _end(session.close, session)


async def _end(end: Callable[[], None], session: Session) -> None:
    """Ends the session's transaction in a thread (it may wait for the database), shielded so a client
    that disconnects cannot leave a connection checked out; with no transaction there is no I/O.

    Not in the request thread pool: a session waiting there for a thread holds its connection, and
    with every thread waiting for a connection the pool stalls until its timeout (seen with 200
    writers on PostgreSQL). A limiter of its own per call, as FastAPI does for the exit of a
    dependency, lets the end always run."""
    if not session.in_transaction():
        end()
        return
    with anyio.CancelScope(shield=True):
        await anyio.to_thread.run_sync(end, limiter=anyio.CapacityLimiter(1))


DbSession = Annotated[Session, Depends(get_db, scope="function")]


SESSION_COOKIE = "memo_session"


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def session_token(request: Request) -> str | None:
    """The API accepts only the header (so it needs no CSRF defence); pages use the HttpOnly cookie."""
    if is_api(request):
        return request.headers.get(SESSION_HEADER)
    return request.cookies.get(SESSION_COOKIE) or request.headers.get(SESSION_HEADER)


@dataclass(frozen=True)
class Viewer:
    """Who is signed in, as pages show it. A plain copy: when a route fails, the rollback expires the
    ORM user, and the error page must still be able to name them."""

    id: int
    username: str
    role: str
    language: str | None = None  # the page's language when set (pages/translation.py)


def optional_user(request: Request, db: Session) -> User | None:
    """The signed-in user when there is one; pages show it in the header."""
    user = user_for_token(db, session_token(request))
    release_connection(db)  # the route runs in another thread: do not hold a connection waiting for it
    return signed_in(request, user)


def signed_in(request: Request, user: User | None) -> User | None:
    """Notes who is signed in on the request, for the page header and the error pages."""
    request.state.user = user
    request.state.viewer = Viewer(user.id, user.username, user.role, user.language) if user else None
    return user


class RoleRequirement:
    """The least role a route needs (PublicAccess marks a deliberately public route).

    Routes carry an instance of this class, so the access test can find every route's rule.
    `before_password_change` lets an account whose password someone else set in (see require_role).
    """

    def __init__(self, role: Role | None, *, before_password_change: bool = False) -> None:
        self.role = role
        self.before_password_change = before_password_change

    def __call__(self, request: Request, db: DbSession) -> User | None:
        return self.authorise(optional_user(request, db))

    def authorise(self, user: User | None) -> User:
        return require_role(user, self.role, before_password_change=self.before_password_change)

    def authorise_request(self, request: Request) -> None:
        """The rule alone, for a request refused before the route's dependencies ran (see web/errors.py)."""
        with session_scope(runtime_of(request).sessions) as db:
            self.authorise(optional_user(request, db))


class PublicAccess(RoleRequirement):
    """Marks a route as deliberately public; it opens no database session (/health is hit often)."""

    def __init__(self) -> None:
        super().__init__(None)

    def __call__(self) -> None:
        return None

    def authorise_request(self, request: Request) -> None:
        return None


def role_requirements(route: APIRoute) -> list[RoleRequirement]:
    """Every access rule in the route's dependency tree."""
    found, stack = [], [route.dependant]
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, RoleRequirement):
            found.append(dep.call)
        stack.extend(dep.dependencies)
    return found


PUBLIC = PublicAccess()
WRITER = RoleRequirement(Role.writer)
Writer = Annotated[User, Depends(WRITER)]
SupportStaff = Annotated[User, Depends(RoleRequirement(Role.support))]
Operator = Annotated[User, Depends(RoleRequirement(Role.operator))]
Admin = Annotated[User, Depends(RoleRequirement(Role.admin))]
# A writer, or anyone, who may have to change a password someone else set: the routes that let them
# (change it, sign out, see and end their sessions). Every other route refuses them until then.
AccountHolder = Annotated[User, Depends(RoleRequirement(Role.writer, before_password_change=True))]


# Async because they only read the runtime: a plain `def` dependency costs a trip to the thread pool.
async def get_runtime(request: Request) -> Runtime:
    return runtime_of(request)


async def get_settings(request: Request) -> Settings:
    return runtime_of(request).settings


async def get_coach(request: Request) -> Coach:
    return runtime_of(request).coach


def get_config(request: Request, db: DbSession) -> ActiveConfig:
    config = runtime_of(request).config.current(db)
    release_connection(db)
    return config


AppRuntime = Annotated[Runtime, Depends(get_runtime)]
AppSettings = Annotated[Settings, Depends(get_settings)]
CoachDep = Annotated[Coach, Depends(get_coach)]
Config = Annotated[ActiveConfig, Depends(get_config)]
