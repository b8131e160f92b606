"""One-time messages after a form post ("Applied rubric version 4."), carried in a short-lived HttpOnly
cookie instead of the URL, so nobody can put their own words into the page's banners with a link."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import RedirectResponse

from memo_coach.errors import AppError

FLASH_COOKIE = "memo_flash"
MAX_CHARS = 500


def redirect_with(url: str, message: str, kind: str = "ok") -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    value = quote(json.dumps({"kind": "error" if kind == "error" else "ok", "message": message[:MAX_CHARS]}))
    response.set_cookie(FLASH_COOKIE, value, httponly=True, samesite="strict", max_age=60)
    return response


def act_then_redirect(url: str, action: Callable[[], object], done: str) -> RedirectResponse:
    """Runs a form's action; back to `url` with `done`, or with the refusal in words."""
    try:
        action()
    except AppError as exc:
        return redirect_with(url, exc.message, "error")
    return redirect_with(url, done)


def take_flash(request: Request) -> dict | None:
    """The pending message, if any; the caller's response deletes the cookie so it shows once."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        data = json.loads(unquote(raw))
        return {"kind": str(data["kind"]), "message": str(data["message"])[:MAX_CHARS]}
    except (ValueError, KeyError, TypeError):
        return None
