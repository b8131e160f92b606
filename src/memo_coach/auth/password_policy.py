"""What a password must be: long enough, not blank, not the username, not a common or breached-style one.

The deny-list ships with the app (auth/data/common_passwords.txt), so the check works offline.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from memo_coach.errors import InvalidInput

MAX_LENGTH = 1024
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@lru_cache
def deny_list() -> frozenset[str]:
    text = resources.files("memo_coach.auth").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _core(password: str) -> str:
    """Lower-cased, without the digits and symbols people add at either end ("Summer2024!" -> "summer")."""
    return _EDGES.sub("", password.lower())


def password_problem(password: str, min_length: int, username: str = "") -> str | None:
    """Why this password is refused, in words; None when it is acceptable."""
    if not password.strip():
        return "password must not be blank or only spaces"
    if len(password.strip()) < min_length:
        return f"password must be at least {min_length} characters (not counting spaces at the ends)"
    if len(password) > MAX_LENGTH:
        return f"password must be at most {MAX_LENGTH} characters"
    if len(set(password)) < 4:
        return "password must use at least 4 different characters"
    lowered, core = password.lower(), _core(password)
    if username and lowered == username.lower():
        return "password must not be the username"
    if lowered in deny_list() or core in deny_list() or (len(core) < 4 and lowered.isdigit()):
        return "this password is on the list of common passwords; choose a less guessable one"
    return None


def check_password(password: str, min_length: int, username: str = "") -> None:
    if problem := password_problem(password, min_length, username):
        raise InvalidInput(problem, field="password")
