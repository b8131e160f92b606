"""The language of one page: the writer's setting, else Accept-Language, else English (memo_coach.i18n).

Templates call `_()`/`ngettext()` (Jinja2's i18n extension, new style: `%(name)s` placeholders, so a
literal percent sign is written `%%`). The translations in force are held in a context variable set
around each rendering, so macros imported without context, and threads rendering other writers' pages
at the same time, all see the right language.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from babel.dates import format_date
from babel.numbers import format_decimal
from fastapi import Request
from jinja2 import Environment

from memo_coach.i18n import ENGLISH, Gettext, choose_language, translations
from memo_coach.web.pages.writer_errors import localized_error

_current: ContextVar[gettext.NullTranslations | None] = ContextVar("page_translations", default=None)
_SOURCE = gettext.NullTranslations()  # outside a rendering (a test rendering a template itself): English
_language: ContextVar[str] = ContextVar("page_language", default=ENGLISH)
# Pages for operators, admins and support staff: English only (their words have no _()), so their
# times and menu stay English too, whatever the browser asks.
STAFF_TEMPLATES = (
    "config/",
    "ops/",
    "incidents/console.html",
    "incidents/detail.html",
    "maintenance_console.html",
    "security/audit.html",
    "security/users.html",
    "support/queue.html",
)


def page_language(request: Request) -> str:
    viewer = getattr(request.state, "viewer", None)
    return choose_language(getattr(viewer, "language", None), request.headers.get("accept-language"))


def template_language(request: Request, template: str) -> str:
    return ENGLISH if template.startswith(STAFF_TEMPLATES) else page_language(request)


def current_language() -> str:
    """The language of the page being rendered (English outside a rendering), for filters such as `moment`."""
    return _language.get()


def page_gettext(request: Request) -> Gettext:
    """For words made in Python (a flash message): `_ = page_gettext(request)`, then `_("...")`."""
    return translations(page_language(request)).gettext


@contextmanager
def speaking(language: str) -> Iterator[None]:
    token, language_token = _current.set(translations(language)), _language.set(language)
    try:
        yield
    finally:
        _current.reset(token)
        _language.reset(language_token)


def rendering_gettext(message: str) -> str:
    return (_current.get() or _SOURCE).gettext(message)


def rendering_ngettext(singular: str, plural: str, n: int) -> str:
    return (_current.get() or _SOURCE).ngettext(singular, plural, n)


def install(env: Environment) -> None:
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True  # the same as babel.cfg's `trimmed`, so msgids match
    env.install_gettext_callables(rendering_gettext, rendering_ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["localized"] = localized  # words that arrive as data (a flash message, a status)
    env.globals["error_text"] = error_text
    env.filters["decimal"] = decimal
    env.filters["long_date"] = long_date


def long_date(value) -> str:
    """ "30 January 2026", "30 de enero de 2026"."""
    language = _language.get()
    return format_date(value, "d MMMM y" if language == ENGLISH else "long", locale=language)


def decimal(value: float, pattern: str = "0.00") -> str:
    """A score as the page's language writes it: 4.05 in English, 4,05 in Spanish."""
    return format_decimal(value, pattern, locale=_language.get())


def localized(message: str) -> str:
    return localized_error(message, None, None, rendering_gettext, _language.get())


def error_text(item: dict) -> str:
    """An error of the envelope's shape (`message`, `code`, `details`) in the page's language."""
    return localized_error(item["message"], item.get("code"), item.get("details"), rendering_gettext, _language.get())
