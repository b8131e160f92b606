"""What a password must be: long enough, not blank, not the username, not a common or breached-style one,
and hard to guess for someone who knows whose it is (auth/password_strength.py).

The deny-list ships with the app (auth/data/common_passwords.txt), and zxcvbn's dictionaries ship with
it, so the checks work offline.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from memo_coach.auth.password_strength import MIN_SCORE, strength
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
    return _guessable(password, username)


def _guessable(password: str, username: str) -> str | None:
    found = strength(password, username)
    if found.score >= MIN_SCORE:
        return None
    parts = found.weak_parts
    why = f": it leans on {', '.join(parts[:-1])} and {parts[-1]}" if len(parts) > 1 else ""
    why = why or (f": it leans on {parts[0]}" if parts else "")
    warning = f" ({found.warning.rstrip('.')})" if found.warning else ""
    return (
        f"this password is too easy to guess{why}{warning}; it scores {found.score} of 4 where {MIN_SCORE} "
        "is needed. A few uncommon words together, or a password manager's password, will do"
    )


def check_password(password: str, min_length: int, username: str = "") -> None:
    if problem := password_problem(password, min_length, username):
        raise InvalidInput(problem, field="password")
