"""Refusals a writer reads, in the page's language.

The words come from the layers below, in English. A fixed message is translated as it is (each is
listed here, marked with `N_` so `make messages` extracts it); a message with figures in it is
matched by its code and given a translated sentence with the same figures. Anything else stays as
it was: an untranslated refusal is better than none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from babel.numbers import format_decimal

from memo_coach.i18n import ENGLISH, Gettext


def N_(message: str) -> str:
    """gettext's marker: extracted into the catalogue, translated where it is shown."""
    return message


FIXED = (
    N_("wrong username or password, or the account is disabled"),
    N_("enter the code from your authenticator app (or a recovery code)"),
    N_("the current password is wrong"),
    N_("the new password must differ from the current one"),
    N_("password must not be blank or only spaces"),
    N_("password must use at least 4 different characters"),
    N_("password must not be the username"),
    N_("this password is on the list of common passwords; choose a less guessable one"),
    N_("the memo is empty"),
    N_("the question is empty"),
    N_("the memo holds characters that are not valid text"),
    N_("the question holds characters that are not valid text"),
    N_("something went wrong on our side; the request id helps us find it"),
    N_("Not Found"),
)
# Words shown as data: an evaluation's status.
STATUSES = (N_("pending"), N_("completed"), N_("failed"))
_MINUTE = 60


def _wait(details: dict) -> dict:
    seconds = int(details.get("retry_after_seconds") or 0)
    return {"minutes": max(1, -(-seconds // _MINUTE)), "seconds": seconds}


def _limit(details: dict) -> dict:
    return {"limit": int(details.get("limit") or 0)}


# code -> (the sentence, the figures it takes from the error's details)
BY_CODE: dict[str, tuple[str, Callable[[dict], dict]]] = {
    "locked_out": (N_("too many failed sign-ins; try again in %(minutes)s min"), _wait),
    "rate_limited": (N_("too many attempts; try again in %(minutes)s min"), _wait),
    "overloaded": (
        N_("The server is evaluating as many memos as it can; nothing was stored. Try again in %(seconds)s s."),
        _wait,
    ),
    "maintenance": (
        N_("Memo Coach is under maintenance. Your draft stays in your browser; try again later."),
        lambda _: {},
    ),
    "text_too_long": (N_("the memo is too long; the limit is %(limit)s characters"), _limit),
    "question_too_long": (N_("the question is too long; the limit is %(limit)s characters"), _limit),
}
_PASSWORD_RULES = (
    (re.compile(r"^password must be at least (\d+) characters"), N_("password must be at least %(n)s characters")),
    (
        re.compile(r"^this password is too easy to guess"),
        N_(
            "this password is too easy to guess; a few uncommon words together, or a password manager's password, will do"
        ),
    ),
)


def localized_error(
    message: str, code: str | None, details: dict[str, Any] | None, _: Gettext, language: str = ENGLISH
) -> str:
    """The refusal in the page's words; its figures written as the language writes numbers (20.000 in Spanish)."""
    translated = _(message)
    if translated != message:
        return translated
    if code in BY_CODE:
        sentence, figures = BY_CODE[code]
        if _(sentence) != sentence:
            numbers = {name: format_decimal(value, locale=language) for name, value in figures(details or {}).items()}
            return _(sentence) % numbers
    for pattern, sentence in _PASSWORD_RULES:
        found = pattern.match(message)
        if found and _(sentence) != sentence:
            return _(sentence) % {"n": found.group(1) if found.groups() else ""}
    return message
