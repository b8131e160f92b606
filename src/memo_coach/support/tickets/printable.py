"""Ticket text shown where characters act instead of being read: a terminal and an email header.

A writer's words may carry an ESC sequence that recolours, retitles or rewrites `memo-coach tickets`
output, a bidirectional override that shows text in another order than it was sent, or a line break
that would end an email header. Here such characters are written out (`\\x1b`, `\\u202e`) so support
sees that they were there without the terminal or mail client obeying them.
"""

from __future__ import annotations

import re

# C0 and C1 controls except newline and tab, DEL, and the bidirectional marks and overrides.
_ACTING = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _written_out(match: re.Match) -> str:
    return match[0].encode("unicode_escape").decode("ascii")


def printable(text: str) -> str:
    """Lines stay lines (CR LF becomes LF); every other control character is written out."""
    return _ACTING.sub(_written_out, text.replace("\r\n", "\n"))


def one_line(text: str) -> str:
    """For an email subject or a list row: every kind of line break and space run becomes one space."""
    return printable(" ".join(text.split()))
