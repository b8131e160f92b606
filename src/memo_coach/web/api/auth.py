"""Sign in, sign out and check a session token."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from memo_coach.auth import sessions
from memo_coach.web.deps import PUBLIC, AccountHolder, Config, DbSession, session_token
from memo_coach.web.envelope import ok
from memo_coach.web.rate_limits import client_address, sign_in_limited

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class LoginBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    otp: str | None = Field(None, max_length=32, description="authenticator or recovery code, when two-step is on")


def user_view(user) -> dict:
    return {"id": user.id, "username": user.username, "role": user.role}


@router.post("/login", dependencies=[Depends(PUBLIC)])
def login(body: LoginBody, request: Request, db: DbSession, config: Config):
    with sign_in_limited(request, body.username, config):
        token, user = sessions.login(db, body.username, body.password, client_address(request), config.auth, body.otp)
    db.flush()
    expires = sessions.session_expiry(db, token)
    return ok({"session_token": token, "expires_at": expires.isoformat(), "user": user_view(user)})


@router.post("/logout")
def logout(user: AccountHolder, request: Request, db: DbSession):
    return ok({"signed_out": sessions.logout(db, session_token(request))})


@router.get("/validate")
def validate(user: AccountHolder, request: Request, db: DbSession):
    expires = sessions.session_expiry(db, session_token(request))
    return ok({"valid": True, "expires_at": expires.isoformat(), "user": user_view(user)})
