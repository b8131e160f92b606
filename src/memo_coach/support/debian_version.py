"""Debian version ordering, as `dpkg --compare-versions` orders them, for comparing an image's packages
with the security archive's without dpkg (the review may run where there is none).

[epoch:]upstream[-revision]: the epoch as a number, then upstream and revision each as alternating runs
of non-digits (compared character by character: `~` sorts before anything, even the end; letters before
other symbols) and digits (compared as numbers). So 1.0~rc1 < 1.0 < 1.0+deb12u1 and 2.36-9 < 2.36-9+deb12u1.
"""

from __future__ import annotations

import re

_RUN = re.compile(r"(\D*)(\d*)")


def _order(char: str) -> int:
    if char == "~":
        return -1
    if char.isalpha():
        return ord(char)
    return ord(char) + 256


def _compare_letters(a: str, b: str) -> int:
    for i in range(max(len(a), len(b))):
        ca = _order(a[i]) if i < len(a) else 0
        cb = _order(b[i]) if i < len(b) else 0
        if ca != cb:
            return -1 if ca < cb else 1
    return 0


def _runs(fragment: str) -> list[tuple[str, str]]:
    return [run for run in _RUN.findall(fragment) if run != ("", "")]


def _compare_fragment(a: str, b: str) -> int:
    ra, rb = _runs(a), _runs(b)
    for i in range(max(len(ra), len(rb))):
        letters_a, digits_a = ra[i] if i < len(ra) else ("", "")
        letters_b, digits_b = rb[i] if i < len(rb) else ("", "")
        if c := _compare_letters(letters_a, letters_b):
            return c
        na, nb = int(digits_a or 0), int(digits_b or 0)
        if na != nb:
            return -1 if na < nb else 1
    return 0


def _split(version: str) -> tuple[int, str, str]:
    epoch, _, rest = version.rpartition(":") if ":" in version else ("0", "", version)
    upstream, _, revision = rest.rpartition("-") if "-" in rest else (rest, "", "")
    return int(epoch or 0), upstream, revision


def compare(a: str, b: str) -> int:
    """-1, 0 or 1 as a is older than, the same as, or newer than b."""
    ea, ua, va = _split(a.strip())
    eb, ub, vb = _split(b.strip())
    if ea != eb:
        return -1 if ea < eb else 1
    return _compare_fragment(ua, ub) or _compare_fragment(va, vb)
