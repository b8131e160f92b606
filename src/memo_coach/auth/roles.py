"""Roles form a ladder: each has every right of the ones below it."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from memo_coach.errors import Forbidden, Unauthenticated

U = TypeVar("U")


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


def require_role(user: U | None, needed: Role | None) -> U:
    """`user` (an account with a `role`) when signed in with at least `needed`: the one access rule every
    door applies."""
    if user is None:
        raise Unauthenticated("sign in first: send a valid session token")
    if needed is not None and not Role(user.role).includes(needed):  # type: ignore[attr-defined]
        raise Forbidden(f"this needs the {needed.value} role")
    return user
