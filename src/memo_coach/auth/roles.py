"""Roles form a ladder: each has every right of the ones below it."""

from __future__ import annotations

from enum import StrEnum


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
