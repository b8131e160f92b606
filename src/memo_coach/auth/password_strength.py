"""How hard a password is to guess, estimated by zxcvbn with what an attacker knows of its owner.

zxcvbn alone scores `Bob12345678!` 3 of 4 even when told the account is bob: the name and the run of
digits each cost it little, but together the guesses still add up. So the password is scored twice:
as it is, and without the parts that add next to nothing for someone who targets this account (its
username and the pieces of it, the product's name, runs such as 1234 or abcd, repeats such as aaaa,
keyboard rows). Both must reach the minimum score.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from zxcvbn import zxcvbn

MIN_SCORE = 3  # zxcvbn's "safely unguessable": about 10^8 guesses or more
# zxcvbn refuses longer input; a password whose first 72 characters are strong is strong.
SCORED_LENGTH = 72
PRODUCT_WORDS = ("memo ai coach", "memo-coach", "memocoach", "memo", "coach")
# What each kind of weak part is called in the refusal.
WEAK_PATTERNS = {
    "sequence": "a run like 1234 or abcd",
    "repeat": "repeated characters",
    "spatial": "a keyboard pattern",
    "date": "a date or a year",
    "regex": "a date or a year",
    "digits": "common digits like 12345678",
}
# zxcvbn keeps the user inputs in a module-level dictionary that each call replaces; two requests
# checking passwords at once on two threads would score against each other's names without this lock.
_ZXCVBN = threading.Lock()


@dataclass(frozen=True)
class Strength:
    score: int  # 0 to 4, the lower of both scorings
    weak_parts: tuple[str, ...]  # what the password leans on, in words; empty when nothing stands out
    warning: str  # zxcvbn's own warning, when it has one


def own_words(username: str) -> list[str]:
    """The username and its pieces (an email's name and domain)."""
    pieces = [p for p in re.split(r"[@._+\-\s]+", username.lower()) if len(p) >= 3]
    return [w for w in dict.fromkeys([username.lower(), *pieces]) if w]


def _scored(password: str, words: list[str]) -> dict:
    with _ZXCVBN:
        return zxcvbn(password[:SCORED_LENGTH], user_inputs=words)


def _without(password: str, words) -> str:
    for word in sorted(words, key=len, reverse=True):
        password = re.sub(re.escape(word), "", password, flags=re.IGNORECASE)
    return password


def _weak_kind(match: dict) -> str | None:
    """Digits from the common-password list (12345678, 2580) count like a run; words from it do not,
    or a passphrase of common words would count for nothing."""
    if match["pattern"] == "dictionary" and not any(c.isalpha() for c in match["token"]):
        return "digits"
    return match["pattern"] if match["pattern"] in WEAK_PATTERNS else None


def strength(password: str, username: str = "") -> Strength:
    own = own_words(username)
    words = [*own, *PRODUCT_WORDS]
    first = _scored(password, words)
    weak = []
    rest = password
    for named, found in (("your username", own), ("the product's name", PRODUCT_WORDS)):
        rest, before = _without(rest, found), rest
        if rest != before:
            weak.append(named)
    for match in _scored(rest, words)["sequence"] if rest else ():
        if kind := _weak_kind(match):
            weak.append(WEAK_PATTERNS[kind])
            rest = rest.replace(match["token"], "", 1)
    score = min(first["score"], _scored(rest, words)["score"] if rest else 0)
    return Strength(score, tuple(dict.fromkeys(weak)), first["feedback"]["warning"])
