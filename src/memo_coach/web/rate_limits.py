"""Rate limits as route dependencies and guards: sign-in, chat, PDF and the current password, per
account and per client address (or session).

Each check and each count runs in its own short transaction, so a hit counts even when the route then
fails. A submission is counted by its use case instead (coaching/submissions.py), with the memo it stores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request

from memo_coach.auth import rate_limits, sessions
from memo_coach.auth.config import RateLimit
from memo_coach.auth.models import User
from memo_coach.auth.rate_limits import Counter
from memo_coach.config_store.versions import ActiveConfig
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.errors import AppError
from memo_coach.web.deps import WRITER, get_config, runtime_of, session_token

# What a failed sign-in raises: a wrong name, password or code, or a lockout (which is a failure too,
# so a locked client hammering on is refused here, before the lockout's own audited refusal).
SIGN_IN_FAILURES = {"unauthenticated", "locked_out"}


def client_address(request: Request) -> str:
    """The socket's peer; uvicorn replaces it from X-Forwarded-For only for MEMO_COACH_TRUSTED_PROXIES."""
    return request.client.host if request.client else "unknown"


def take(request: Request, action: str, account: str | None, config: ActiveConfig) -> None:
    """One `action` counted; RateLimited when over the limit."""
    limit = getattr(config.auth.rate_limits, action)
    with session_scope(runtime_of(request).sessions) as session:
        rate_limits.take(session, action, account, client_address(request), limit, utcnow())


def throttled(action: str):
    """A dependency that counts one `action` by the signed-in writer and their address."""

    def dependency(
        request: Request, user: Annotated[User, Depends(WRITER)], config: Annotated[ActiveConfig, Depends(get_config)]
    ) -> None:
        take(request, action, user.username, config)

    return Depends(dependency)


@contextmanager
def _guesses_limited(
    request: Request, counters: list[Counter], what: str, limit: RateLimit, wrong: Callable[[AppError], bool]
) -> Iterator[None]:
    """Refuses before a secret is checked when a counter is full; counts the guess only when `wrong`
    says the error the block raised was a wrong guess (not, say, a new password that is too short)."""
    factory = runtime_of(request).sessions
    with session_scope(factory) as session:
        rate_limits.check(session, counters, what, limit, utcnow())
    try:
        yield
    except AppError as exc:
        if wrong(exc):
            with session_scope(factory) as session:
                rate_limits.count(session, counters, limit, utcnow())
        raise


def sign_in_limited(request: Request, username: str, config: ActiveConfig):
    """Failed sign-ins per account and address, and per address: a right password from an address
    that has not failed is never refused (docs/security.md, "Rate limits")."""
    limit = config.auth.rate_limits.login
    counters = rate_limits.sign_in_failures(username, client_address(request), limit)
    return _guesses_limited(request, counters, "failed sign-ins", limit, lambda exc: exc.code in SIGN_IN_FAILURES)


def password_check_limited(request: Request, user: User, config: ActiveConfig, field: str):
    """Wrong current passwords per session and per account, for a form whose `field` carries it: an
    error about that field is a wrong guess."""
    limit = config.auth.rate_limits.password_check
    token = session_token(request)
    requester = sessions.token_hash(token) if token else client_address(request)
    counters = rate_limits.password_failures(user.username, requester, limit)
    return _guesses_limited(request, counters, "wrong passwords", limit, lambda exc: exc.field == field)
