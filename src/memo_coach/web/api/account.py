"""The signed-in user's own account: its language, change the password, list and end their sessions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from memo_coach.auth import preferences, sessions, totp, users
from memo_coach.i18n import LANGUAGES
from memo_coach.web.deps import AccountHolder, Config, DbSession, Operator, RowId, session_token
from memo_coach.web.envelope import ok
from memo_coach.web.rate_limits import password_check_limited

router = APIRouter(prefix="/api/v1/account", tags=["account"])


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class AccountChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    language: str | None = Field(
        description=f"one of {', '.join(LANGUAGES)}; null follows the browser's Accept-Language", max_length=8
    )


def account_view(user) -> dict:
    return {"username": user.username, "role": user.role, "language": user.language}


@router.get("")
def get_account(user: AccountHolder):
    return ok(account_view(user))


@router.patch("")
def change_account(body: AccountChange, user: AccountHolder, db: DbSession):
    """The language of the writer pages, the PDF and the emails this user receives."""
    preferences.set_language(db, user, body.language)
    return ok(account_view(user))


def session_view(row, current_hash: str | None) -> dict:
    return {
        "id": row.id,
        "created_at": row.created_at.isoformat(),
        "expires_at": row.expires_at.isoformat(),
        "client_address": row.client_address,
        "current": row.token_hash == current_hash,
    }


def _current_hash(request: Request) -> str | None:
    token = session_token(request)
    return sessions.token_hash(token) if token else None


@router.post("/password")
def change_password(body: PasswordChange, request: Request, user: AccountHolder, db: DbSession, config: Config):
    """Other sessions end; this one stays signed in."""
    with password_check_limited(request, user, config, "current_password"):
        users.change_own_password(
            db,
            user,
            body.current_password,
            body.new_password,
            keep_token_hash=_current_hash(request),
            min_length=config.auth.password_min_length,
        )
    return ok({"changed": True})


class Code(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=32)


class Password(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(min_length=1, max_length=1024)


@router.post("/totp")
def start_totp(user: Operator, db: DbSession):
    """Operators and admins: a secret and otpauth:// URI for an authenticator app; confirm with a code."""
    return ok(totp.start(db, user))


@router.post("/totp/confirm")
def confirm_totp(body: Code, user: Operator, db: DbSession):
    """Turns two-step sign-in on; the answer holds ten one-use recovery codes, shown only now."""
    return ok({"enabled": True, "recovery_codes": totp.confirm(db, user, body.code)})


@router.post("/totp/disable")
def disable_totp(body: Password, request: Request, user: Operator, db: DbSession, config: Config):
    with password_check_limited(request, user, config, "password"):
        totp.disable(db, user, body.password)
    return ok({"enabled": False})


@router.get("/sessions")
def list_sessions(request: Request, user: AccountHolder, db: DbSession):
    current = _current_hash(request)
    return ok([session_view(s, current) for s in sessions.own_sessions(db, user)])


@router.delete("/sessions/{session_id}")
def revoke_session(session_id: RowId, user: AccountHolder, db: DbSession):
    sessions.revoke_own_session(db, user, session_id)
    return ok({"revoked": session_id})
