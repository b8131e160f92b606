"""CSRF protection for HTML forms: a signed double-submit token (cookie + hidden field must match).

The API needs none: it only accepts the X-Session-Token header, which a foreign page cannot set.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request

from memo_coach.errors import Forbidden
from memo_coach.web.deps import runtime_of

CSRF_COOKIE = "memo_csrf"
CSRF_FIELD = "csrf_token"


def _sign(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()[:32]


def new_token(secret: str) -> str:
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_sign(secret, nonce)}"


def is_valid(secret: str, token: str | None) -> bool:
    if not token or "." not in token:
        return False
    nonce, signature = token.rsplit(".", 1)
    return _same(signature, _sign(secret, nonce))


def _same(sent: str, expected: str) -> bool:
    """Constant-time equality of a string the client sent: compare_digest refuses non-ASCII str with a
    TypeError, so both are compared as UTF-8 bytes."""
    return hmac.compare_digest(sent.encode(), expected.encode())


def token_for(request: Request) -> str:
    """The token this page's forms carry: the cookie's when valid, else a fresh one (set by render)."""
    secret = runtime_of(request).settings.ensure_secret_key()
    existing = request.cookies.get(CSRF_COOKIE)
    if is_valid(secret, existing):
        return existing
    if not hasattr(request.state, "new_csrf"):
        request.state.new_csrf = new_token(secret)
    return request.state.new_csrf


async def verify_csrf(request: Request) -> None:
    """Dependency for every form POST: the hidden field must equal the signed cookie."""
    form = await request.form()
    secret = runtime_of(request).settings.ensure_secret_key()
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = form.get(CSRF_FIELD)
    if not (is_valid(secret, cookie) and isinstance(sent, str) and _same(sent, cookie)):
        raise Forbidden("the form expired or came from another site; reload the page and try again", code="csrf_failed")
