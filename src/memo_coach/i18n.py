"""The writer-facing words in English and Spanish: which language a writer gets, and the catalogue.

The Spanish catalogue is the `.po` file under `web/locales/` (edited by hand, refreshed by
`make messages`); it is compiled in memory once per process, so no generated `.mo` file is kept in
the repository or can fall behind its source. English is the source text and needs no catalogue.

Here, at the base of the layers, so the pages, the PDF and the emails writers receive (support's
answers) all use one catalogue and one rule for the language.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

ENGLISH = "en"
LANGUAGES = (ENGLISH, "es")  # English first: the source text and the answer when nothing else fits
LANGUAGE_NAMES = {ENGLISH: "English", "es": "Español"}  # each in its own language, as a menu shows them
LOCALES_DIR = Path(__file__).resolve().parent / "web" / "locales"
DOMAIN = "messages"
MAX_HEADER_CHARS = 500  # a longer Accept-Language is not a browser's; it is ignored
_TAG = re.compile(r"^(?:[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)$")
_QUALITY = re.compile(r"^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")

Gettext = Callable[[str], str]


def catalogue_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The language's translations; English (or an unknown language) gives back the source text."""
    if language == ENGLISH or language not in LANGUAGES:
        return gettext.NullTranslations()
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)  # untranslated and fuzzy entries are left out: they fall back to English
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext_for(language: str) -> Gettext:
    return translations(language).gettext


def preferred_languages(header: str | None) -> list[str]:
    """The tags of an Accept-Language header, best first; whatever is malformed is skipped, not refused."""
    if not header or len(header) > MAX_HEADER_CHARS:
        return []
    ranked = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = (part.strip() for part in item.partition(";"))
        quality = _QUALITY.match(params.replace(" ", "")) if params else None
        if not _TAG.match(tag) or (params and quality is None):
            continue
        weight = float(quality.group(1)) if quality else 1.0
        if weight > 0 and tag != "*":
            ranked.append((-weight, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def language_from_header(header: str | None) -> str | None:
    found = negotiate_locale(preferred_languages(header), LANGUAGES, sep="-", aliases=None)
    return found.lower() if found else None


def choose_language(setting: str | None, accept_language: str | None) -> str:
    """The writer's own setting, else what the browser asks for, else English."""
    if setting in LANGUAGES:
        return setting
    return language_from_header(accept_language) or ENGLISH
