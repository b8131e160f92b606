"""Rate limits as route dependencies: sign-in, submit, chat and PDF, per account and per client address.

Sign-in, chat and PDF checks run in their own short transaction, so a hit counts even when the route then
fails. A submission is counted in the transaction that stores the memo (`AdmittedWriter`): a memo
refused after the checks is not counted, and one stored always is.
"""

from __future__ import annotations

from concurrent.futures import Future
from functools import partial
from typing import Annotated

import anyio
from fastapi import Depends, Request
from sqlalchemy.orm import Session

from memo_coach.auth import rate_limits
from memo_coach.auth.models import User
from memo_coach.auth.roles import Role
from memo_coach.auth.sessions import user_for_token
from memo_coach.coaching.models import Evaluation
from memo_coach.config_store.versions import ActiveConfig
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.web.deps import WRITER, RoleRequirement, get_config, session_token, signed_in
from memo_coach.web.maintenance_guard import refuse_during_maintenance


def client_address(request: Request) -> str:
    """The socket's peer; uvicorn replaces it from X-Forwarded-For only for MEMO_COACH_TRUSTED_PROXIES."""
    return request.client.host if request.client else "unknown"


def take(request: Request, action: str, account: str | None, config: ActiveConfig) -> None:
    with session_scope(request.app.state.sessions) as session:
        count(session, request, action, account, config)


def count(session: Session, request: Request, action: str, account: str | None, config: ActiveConfig) -> None:
    """One `action` counted in `session`'s transaction; RateLimited when over the limit."""
    limit = getattr(config.auth.rate_limits, action)
    rate_limits.take(session, action, account, client_address(request), limit, utcnow())


class Admission:
    """A submission's checks and its storing, in one trip to the submission threads (see `submit`)."""

    def __init__(self, requirement: AdmittedWriter, request: Request) -> None:
        self.requirement = requirement
        self.request = request
        # Known once the checks have passed (error pages name the writer's memo); a plain id, because a
        # refusal after the checks rolls their transaction back, which expires the loaded user.
        self.user_id: int | None = None

    async def submit(
        self, text: str, memo_id: int | None, idempotency_key: str | None, *, wait_for_first: bool
    ) -> tuple[Evaluation, Future[Evaluation] | None]:
        """`Coach.accept` right after the checks, in the same thread and the same transaction.

        The submission threads are few (MEMO_COACH_SUBMIT_THREADS): this work is short database
        calls, and with 100 writers at once, a dozen threads running it together only took turns on
        the GIL and the SQLite write lock, costing more CPU per submission and a longer tail."""
        store = partial(self._store, text, memo_id, idempotency_key, wait_for_first)
        return await anyio.to_thread.run_sync(store, limiter=self.request.app.state.submit_threads)

    def _store(
        self, text: str, memo_id: int | None, idempotency_key: str | None, wait_for_first: bool
    ) -> tuple[Evaluation, Future[Evaluation] | None]:
        request = self.request
        coach = request.app.state.coach
        with session_scope(request.app.state.sessions) as session:
            refuse_during_maintenance(request, session)  # first, as the app-wide guard would
            user = self.requirement.authorise(signed_in(request, user_for_token(session, session_token(request))))
            self.user_id = user.id
            config = coach.config.current(session)
            count(session, request, self.requirement.action, user.username, config)
            # Stored in the checks' transaction, which accept commits: one commit for both.
            return coach.accept(
                user.id, text, memo_id, idempotency_key, wait_for_first=wait_for_first, snapshot=config, session=session
            )


class AdmittedWriter(RoleRequirement):
    """A writer's submission: allowed to write now (maintenance), signed in as a writer and within
    `action`'s rate limit, with the active configuration, checked in the same trip to a thread and the
    same transaction as the storing of the memo (`Admission.submit`). As four dependencies (the
    maintenance guard, the role, the configuration, the limit) and a route they cost five trips to
    the thread pool and two commits, a large part of the web process's work on the route every
    submission takes. A submission refused after the checks (a bad memo, a full queue) is not
    counted against the rate limit: its transaction is rolled back.

    Only a missing session token is refused before the route runs; a request with a token is checked
    inside `submit`, so its body is validated first (a bad body with a stale token answers 422, not 401).
    Routes using it are marked `handles_maintenance_itself`, so the app-wide guard does not check again."""

    def __init__(self, action: str) -> None:
        super().__init__(Role.writer)
        self.action = action

    async def __call__(self, request: Request) -> Admission:
        if not session_token(request):
            self.authorise(signed_in(request, None))  # raises Unauthenticated without a database trip
        return Admission(self, request)


Submission = Annotated[Admission, Depends(AdmittedWriter("submit"))]


def throttled(action: str):
    """A dependency that counts one `action` by the signed-in writer and their address."""

    def dependency(
        request: Request, user: Annotated[User, Depends(WRITER)], config: Annotated[ActiveConfig, Depends(get_config)]
    ) -> None:
        take(request, action, user.username, config)

    return Depends(dependency)
