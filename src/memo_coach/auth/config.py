"""Schema and checks of config/auth.yaml: session lifetime, password length, lockout, the two-person rule."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from memo_coach.auth.credentials import refuse_linked
from memo_coach.config_store.changes import register_approver_check
from memo_coach.config_store.kinds import Candidate, Finding, Strict, register_kind


class LockoutConfig(Strict):
    max_failures_per_account: int = Field(
        default=5, ge=1, description="failed sign-ins that lock one account for the client that failed"
    )
    max_failures_per_address: int = Field(default=20, ge=1, description="failed sign-ins that lock one client address")
    window_minutes: float = Field(default=15, gt=0, description="how far back failures are counted")
    lockout_minutes: float = Field(default=15, gt=0, description="how long a lock lasts")


class RateLimit(Strict):
    per_account: int = Field(ge=1, le=100_000, description="actions one account may take per window")
    per_client: int = Field(ge=1, le=100_000, description="actions one client address may take per window")
    window_seconds: float = Field(ge=1, le=86_400, description="the sliding window the actions are counted in")


class RateLimits(Strict):
    login: RateLimit = Field(
        RateLimit(per_account=10, per_client=30, window_seconds=60),
        description="failed sign-ins only: per_account of one account from one address, per_client from one address",
    )
    submit: RateLimit = RateLimit(per_account=6, per_client=30, window_seconds=60)
    chat: RateLimit = RateLimit(per_account=20, per_client=60, window_seconds=60)
    pdf: RateLimit = RateLimit(per_account=20, per_client=60, window_seconds=60)
    ticket: RateLimit = RateLimit(per_account=10, per_client=30, window_seconds=3600)
    password_check: RateLimit = Field(
        RateLimit(per_account=10, per_client=5, window_seconds=900),
        description="wrong current passwords (password change, two-step sign-in off): per account, per_client per session",
    )


class AuthConfig(Strict):
    session_hours: float = Field(default=12, gt=0, le=24 * 30, description="how long a sign-in lasts")
    password_min_length: int = Field(default=12, ge=8, le=128, description="shortest password accepted")
    lockout: LockoutConfig = LockoutConfig()
    rate_limits: RateLimits = Field(
        RateLimits(), description="sign-ins, submissions, chat questions and PDFs per account and per client"
    )
    require_approval: bool = Field(
        default=False, description="two-person rule: a configuration change waits until a different admin approves it"
    )


def address_lockout_is_not_stricter(candidate: Candidate) -> Iterable[Finding]:
    lockout = candidate.model.lockout
    if lockout.max_failures_per_address < lockout.max_failures_per_account:
        # An address limit below the account limit would lock out a whole office before one account.
        yield ("lockout", "max_failures_per_address"), "must be at least max_failures_per_account"


def register() -> None:
    register_kind("auth", AuthConfig, [address_lockout_is_not_stricter])
    register_approver_check(refuse_linked)
