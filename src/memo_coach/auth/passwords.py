"""Argon2id hashing; a random password when an operator does not choose one."""

from __future__ import annotations

import secrets
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(),))


@lru_cache
def _dummy_hash(hasher: PasswordHash) -> str:
    """Verified against when the username is unknown, so a miss costs as much time as a wrong password."""
    return hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    return _hasher.verify(password, password_hash or _dummy_hash(_hasher)) and password_hash is not None


def generate_password() -> str:
    return secrets.token_urlsafe(15)
