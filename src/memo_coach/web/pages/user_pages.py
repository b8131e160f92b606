"""The admin's users page: create accounts, change roles, disable, reset passwords, end sessions, and
approve admin changes waiting under the two-person rule. Thin: each form calls one auth function."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request

from memo_coach.auth import approvals, users
from memo_coach.auth.roles import Role
from memo_coach.db.base import utcnow
from memo_coach.errors import AppError
from memo_coach.web.csrf import verify_csrf
from memo_coach.web.deps import Admin, Config, DbSession, RowId
from memo_coach.web.flash import act_then_redirect, redirect_with
from memo_coach.web.pages.render import render

router = APIRouter(prefix="/admin/users", include_in_schema=False)
CSRF = [Depends(verify_csrf)]
Username = Annotated[str, Path(max_length=64)]
PAGE = "/admin/users"


def _page(request: Request, db, status: int = 200, **extra):
    return render(
        request,
        "security/users.html",
        status,
        users=users.list_users(db),
        sessions=users.session_counts(db, utcnow()),
        approvals=[approvals.view(a) for a in approvals.pending(db)],
        roles=[r.value for r in Role],
        **extra,
    )


@router.get("")
def users_page(request: Request, user: Admin, db: DbSession):
    return _page(request, db)


@router.post("", dependencies=CSRF)
def create(
    request: Request,
    user: Admin,
    db: DbSession,
    config: Config,
    username: Annotated[str, Form(max_length=64)],
    role: Annotated[Role, Form()] = Role.writer,
):
    """Shows the generated password on the answer itself, once; it is never stored or redirected."""
    try:
        created, password = users.create_user(
            db, username, role, None, actor=user.username, min_length=config.auth.password_min_length
        )
    except AppError as exc:
        return redirect_with(PAGE, exc.message, "error")
    return _page(request, db, shown={"username": created.username, "password": password})


@router.post("/{username}/role", dependencies=CSRF)
def change_role(username: Username, user: Admin, db: DbSession, role: Annotated[Role, Form()]):
    return act_then_redirect(
        PAGE, lambda: users.set_role(db, username, role, actor=user.username), f"{username}: role {role.value}"
    )


@router.post("/{username}/active", dependencies=CSRF)
def change_active(username: Username, user: Admin, db: DbSession, active: Annotated[bool, Form()]):
    done = f"{username} {'enabled' if active else 'disabled'}"
    return act_then_redirect(PAGE, lambda: users.set_active(db, username, active, actor=user.username), done)


@router.post("/{username}/sessions/end", dependencies=CSRF)
def end_sessions(username: Username, user: Admin, db: DbSession):
    done = f"{username} signed out everywhere"
    return act_then_redirect(PAGE, lambda: users.end_sessions(db, username, actor=user.username), done)


@router.post("/{username}/reset-password", dependencies=CSRF)
def reset_password(request: Request, username: Username, user: Admin, db: DbSession, config: Config):
    try:
        password = users.reset_password(
            db, username, None, actor=user.username, min_length=config.auth.password_min_length
        )
    except AppError as exc:
        return redirect_with(PAGE, exc.message, "error")
    if password is None:
        return redirect_with(PAGE, f"{username}: the password reset waits for another admin's approval")
    return _page(request, db, shown={"username": username, "password": password})


@router.post("/approvals/{approval_id}/approve", dependencies=CSRF)
def approve(request: Request, approval_id: RowId, user: Admin, db: DbSession):
    """A reset's new password shows on the answer itself, once, to the admin who approved it."""
    try:
        granted = approvals.approve(db, approval_id, user)
    except AppError as exc:
        return redirect_with(PAGE, exc.message, "error")
    if granted.password is None:
        return redirect_with(PAGE, f"approval {approval_id} granted")
    return _page(request, db, shown={"username": granted.approval.username, "password": granted.password})
