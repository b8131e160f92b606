"""Security pages: the admin's audit viewer, and each user's own account (password, sessions)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request

from memo_coach.audit.verify import chain_report
from memo_coach.auth import preferences, sessions, totp, users
from memo_coach.auth.roles import Role
from memo_coach.errors import AppError
from memo_coach.i18n import ENGLISH, LANGUAGE_NAMES, choose_language, gettext_for, language_from_header
from memo_coach.security.audit_log import AuditFilter, actions, search
from memo_coach.web.csrf import verify_csrf
from memo_coach.web.deps import MAX_ROW_ID, AccountHolder, Admin, Config, DbSession, Operator, RowId, session_token
from memo_coach.web.flash import act_then_redirect, redirect_with
from memo_coach.web.pages.render import render
from memo_coach.web.pages.translation import page_gettext
from memo_coach.web.rate_limits import password_check_limited

router = APIRouter(include_in_schema=False)
ACCOUNT = "/account"
PAGE = 50
Secret = Annotated[str, Form(max_length=1024)]


@router.get("/admin/audit")
def audit_viewer(
    request: Request,
    user: Admin,
    db: DbSession,
    actor: str = Query("", max_length=64),
    action: str = Query("", max_length=64),
    target: str = Query("", max_length=200),
    since: datetime | None = None,
    until: datetime | None = None,
    offset: int = Query(0, ge=0, le=MAX_ROW_ID),
):
    where = AuditFilter(actor or None, action or None, target or None, since, until)
    rows, total = search(db, where, PAGE, offset)
    return render(
        request,
        "security/audit.html",
        rows=rows,
        total=total,
        offset=offset,
        page=PAGE,
        filters=where.described(),
        actions=actions(db),
        chain=chain_report(db),
    )


def _current_hash(request: Request) -> str | None:
    token = session_token(request)
    return sessions.token_hash(token) if token else None


def _account_page(request: Request, db, user, **extra):
    current = _current_hash(request)
    rows = [{"row": s, "current": s.token_hash == current} for s in sessions.own_sessions(db, user)]
    return render(
        request,
        "security/account.html",
        sessions=rows,
        must_change=user.must_change_password,
        can_totp=Role(user.role).includes(Role.operator),
        totp_on=user.totp_enabled,
        language_names=LANGUAGE_NAMES,
        browser_language=language_from_header(request.headers.get("accept-language")) or ENGLISH,
        **extra,
    )


@router.get("/account")
def account(request: Request, user: AccountHolder, db: DbSession):
    return _account_page(request, db, user)


@router.post("/account/totp", dependencies=[Depends(verify_csrf)])
def start_totp(request: Request, user: Operator, db: DbSession):
    """Shows the new secret on this answer only (to type or paste into an authenticator app)."""
    try:
        enrolment = totp.start(db, user)
    except AppError as exc:
        return redirect_with("/account", exc.message, "error")
    return _account_page(request, db, user, enrolment=enrolment)


@router.post("/account/totp/confirm", dependencies=[Depends(verify_csrf)])
def confirm_totp(request: Request, user: Operator, db: DbSession, code: Annotated[str, Form(max_length=32)]):
    try:
        codes = totp.confirm(db, user, code)
    except AppError as exc:
        return redirect_with("/account", exc.message, "error")
    return _account_page(request, db, user, recovery_codes=codes)


@router.post("/account/totp/disable", dependencies=[Depends(verify_csrf)])
def disable_totp(request: Request, user: Operator, db: DbSession, config: Config, password: Secret):
    def disable() -> None:
        with password_check_limited(request, user, config, "password"):
            totp.disable(db, user, password)

    return act_then_redirect(ACCOUNT, disable, page_gettext(request)("Two-step sign-in is off."))


@router.post("/account/password", dependencies=[Depends(verify_csrf)])
def change_password(
    request: Request, user: AccountHolder, db: DbSession, config: Config, current_password: Secret, new_password: Secret
):
    def change() -> None:
        with password_check_limited(request, user, config, "current_password"):
            users.change_own_password(
                db,
                user,
                current_password,
                new_password,
                keep_token_hash=_current_hash(request),
                min_length=config.auth.password_min_length,
            )

    _ = page_gettext(request)
    return act_then_redirect(ACCOUNT, change, _("Password changed; your other sessions have ended."))


@router.post("/account/sessions/{session_id}/revoke", dependencies=[Depends(verify_csrf)])
def revoke(request: Request, session_id: RowId, user: AccountHolder, db: DbSession):
    _ = page_gettext(request)
    return act_then_redirect(
        ACCOUNT,
        lambda: sessions.revoke_own_session(db, user, session_id),
        _("Session %(number)s ended.") % {"number": session_id},
    )


@router.post("/account/language", dependencies=[Depends(verify_csrf)])
def change_language(
    request: Request, user: AccountHolder, db: DbSession, language: Annotated[str, Form(max_length=8)] = ""
):
    """The answer is already in the chosen language."""
    _ = gettext_for(choose_language(language, request.headers.get("accept-language")))
    return act_then_redirect(ACCOUNT, lambda: preferences.set_language(db, user, language), _("Language saved."))
