"""Sign-in and sign-out pages: the same login service as the API, with an HttpOnly cookie."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from memo_coach.auth import sessions
from memo_coach.errors import LockedOut, RateLimited, Unauthenticated
from memo_coach.web.csrf import verify_csrf
from memo_coach.web.deps import PUBLIC, SESSION_COOKIE, Config, DbSession, optional_user, runtime_of, session_token
from memo_coach.web.pages.render import render
from memo_coach.web.pages.translation import page_gettext, page_language
from memo_coach.web.pages.writer_errors import localized_error
from memo_coach.web.rate_limits import client_address, sign_in_limited

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only same-site paths, so the sign-in form cannot be used to bounce writers elsewhere."""
    if not target or urlsplit(target).netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login", dependencies=[Depends(PUBLIC)])
def login_form(request: Request, db: DbSession, next: str = "/", signed_out: bool = False):
    if optional_user(request, db):
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", next=safe_next(next), signed_out=signed_out)


@router.post("/login", dependencies=[Depends(PUBLIC), Depends(verify_csrf)])
def login_submit(
    request: Request,
    db: DbSession,
    config: Config,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    otp: Annotated[str, Form(max_length=32)] = "",
    next: Annotated[str, Form()] = "/",
):
    try:
        with sign_in_limited(request, username, config):
            token, _ = sessions.login(db, username, password, client_address(request), config.auth, otp or None)
    except (Unauthenticated, LockedOut, RateLimited) as exc:
        error = localized_error(exc.message, exc.code, exc.details, page_gettext(request), page_language(request))
        return render(request, "login.html", status=exc.status, error=error, username=username, next=safe_next(next))
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=runtime_of(request).settings.cookie_secure,
        max_age=int(config.auth.session_hours * 3600),
    )
    return response


@router.post("/logout", dependencies=[Depends(PUBLIC), Depends(verify_csrf)])
def logout(request: Request, db: DbSession):
    token = session_token(request)
    if token:
        sessions.logout(db, token)
    response = RedirectResponse("/login?signed_out=true", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
