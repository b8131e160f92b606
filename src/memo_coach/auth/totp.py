"""Optional two-step sign-in for operators and admins: a TOTP app (RFC 6238) plus ten recovery codes.

Only hashes of the recovery codes are stored; each works once. A code of the authenticator is
accepted once (the last accepted time step is kept), so a code seen over a shoulder cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

import pyotp
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.auth.models import User
from memo_coach.auth.passwords import verify_password
from memo_coach.auth.roles import Role
from memo_coach.errors import Conflict, Forbidden, InvalidInput

ISSUER = "Memo AI Coach"
RECOVERY_CODES = 10


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().lower().replace("-", "").encode()).hexdigest()


def start(session: Session, user: User) -> dict:
    """A new secret for the authenticator app; it takes effect only once a code from it is confirmed."""
    if not Role(user.role).includes(Role.operator):
        raise Forbidden("two-step sign-in is for operators and admins")
    if user.totp_enabled:
        raise Conflict("two-step sign-in is already on; turn it off first to enrol a new device")
    user.totp_secret = pyotp.random_base32()
    uri = pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    return {"secret": user.totp_secret, "otpauth_uri": uri}


def confirm(session: Session, user: User, code: str) -> list[str]:
    """Turns two-step sign-in on after a correct code; returns the recovery codes (shown once)."""
    if not user.totp_secret or user.totp_enabled:
        raise Conflict("start the enrolment first")
    if not _accept_code(user, code):
        raise InvalidInput("that code does not match; check the time on the device", field="code")
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    user.totp_recovery = [_hash(c) for c in codes]
    user.totp_enabled = True
    audit.record(session, user.username, "user.totp_enabled", user.username)
    return codes


def disable(session: Session, user: User, password: str) -> None:
    if not verify_password(password, user.password_hash):
        raise InvalidInput("the password is wrong", field="password")
    user.totp_enabled, user.totp_secret, user.totp_recovery, user.totp_last_step = False, None, [], None
    audit.record(session, user.username, "user.totp_disabled", user.username)


def second_factor_ok(session: Session, user: User, code: str | None) -> bool:
    """True when the account has no second factor, or `code` is a fresh TOTP code or an unused recovery code."""
    if not user.totp_enabled:
        return True
    if not code:
        return False
    if _accept_code(user, code):
        return True
    digest = _hash(code)
    for stored in list(user.totp_recovery or []):
        if hmac.compare_digest(stored, digest):
            user.totp_recovery = [c for c in user.totp_recovery or [] if c != stored]
            audit.record(session, user.username, "user.recovery_code_used", user.username)
            return True
    return False


def _accept_code(user: User, code: str) -> bool:
    totp = pyotp.TOTP(user.totp_secret)
    code = code.strip().replace(" ", "")
    if not (code.isascii() and code.isdigit()):  # isdigit alone takes "¹" and "٣", which no code contains
        return False
    for offset in (-1, 0, 1):  # one step of clock drift either way
        step = totp.timecode(datetime.now(UTC)) + offset
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            user.totp_last_step = step
            return True
    return False
