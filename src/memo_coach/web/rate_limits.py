"""Rate limits as route dependencies: sign-in, chat and PDF, per account and per client address.

Each check runs in its own short transaction, so a hit counts even when the route then fails. A
submission is counted by its use case instead (coaching/submissions.py), with the memo it stores.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from memo_coach.auth import rate_limits
from memo_coach.auth.models import User
from memo_coach.config_store.versions import ActiveConfig
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.web.deps import WRITER, get_config, runtime_of


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
