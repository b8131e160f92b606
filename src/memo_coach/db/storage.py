"""Telling "the disk is full" apart from other storage errors, for either database and for plain files."""

from __future__ import annotations

import errno

DISK_FULL_SQLSTATE = "53100"  # PostgreSQL disk_full
_WORDS = ("database or disk is full", "no space left on device", "could not extend file", "disk full")


def is_storage_full(exc: BaseException | None) -> bool:
    """True when `exc`, or anything it wraps, says there is no room left to write."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if getattr(exc, "sqlstate", None) == DISK_FULL_SQLSTATE:
            return True
        if any(words in str(exc).lower() for words in _WORDS):
            return True
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
        seen += 1
    return False
