"""Roles form a ladder: each has every right of the ones below it."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from memo_coach.errors import Forbidden, Unauthenticated

U = TypeVar("U")
PASSWORD_CHANGE_REQUIRED = "password_change_required"


class Role(StrEnum):
    writer = "writer"
    support = "support"
    operator = "operator"
    admin = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def includes(self, needed: Role) -> bool:
        return self.rank >= needed.rank


def require_role(user: U | None, needed: Role | None, *, before_password_change: bool = False) -> U:
    """`user` (an account with a `role`) when signed in with at least `needed`: the one access rule every
    door applies.

    A password someone else chose or saw (a new account, a reset, the first admin) is not the owner's
    secret, so until they change it the account may do nothing but change it, sign out and see or end
    its sessions (the routes that pass `before_password_change`)."""
    if user is None:
        raise Unauthenticated("sign in first: send a valid session token")
    if needed is not None and not Role(user.role).includes(needed):  # type: ignore[attr-defined]
        raise Forbidden(f"this needs the {needed.value} role")
    if getattr(user, "must_change_password", False) and not before_password_change:
        raise Forbidden(
            "choose your own password first: this one was set by someone else "
            "(POST /api/v1/account/password, or the account page)",
            code=PASSWORD_CHANGE_REQUIRED,
        )
    return user
