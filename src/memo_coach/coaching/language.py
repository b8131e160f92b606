"""The memo's language, so the coach answers in it: English and Spanish are coached.

Detected with lingua, built for the two coached languages and the four a memo here is most often
written in otherwise, so a French memo is named as French instead of being read as bad English.
Low accuracy mode (trigrams only) keeps the models at about 16 MB instead of about 100 MB for two
languages in high accuracy mode; on a memo of a few sentences it is as sure. The detector loads on
the first memo, never at import: a process that never coaches never pays for it.

A memo in another language, or one the detector is unsure of, is coached as English with a note
saying so (docs/writer-pages.md): refusing it would leave the writer with nothing, and a note in
the result is as clear as an error.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lingua import LanguageDetector

SUPPORTED = ("en", "es")
DEFAULT = "en"
NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "it": "Italian"}
# How much of the memo is read: about a hundred words make the language plain, and detection costs
# about 1.3 ms of CPU per 1,000 characters, a tenth of the English offline analysis of a long memo.
SAMPLE_CHARS = 600
# Fewer letters than this is a line, not a memo: it is coached in the default language without comment.
MIN_LETTERS = 40
# The share of confidence the leading language must hold; below it the memo is mixed or unclear.
MIN_CONFIDENCE = 0.7
_BUILDING = threading.Lock()


@dataclass(frozen=True)
class MemoLanguage:
    code: str  # the language the memo is coached in: one of SUPPORTED
    detected: str | None  # what the detector settled on (ISO 639-1), None when unsure or too short
    confidence: float
    note: str | None  # for the writer, when the memo is not coached in the language it is written in


def detect(memo: str) -> MemoLanguage:
    """The language to coach `memo` in, with a note when it cannot be the memo's own."""
    sample = memo[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return MemoLanguage(DEFAULT, None, 0.0, None)
    ranked = _detector().compute_language_confidence_values(sample)
    best = ranked[0]
    code, confidence = best.language.iso_code_639_1.name.lower(), round(best.value, 3)
    if confidence < MIN_CONFIDENCE:
        note = (
            "The coach could not tell which language this memo is in, so it coached it as English; "
            "it reads English and Spanish."
        )
        return MemoLanguage(DEFAULT, None, confidence, note)
    if code not in SUPPORTED:
        note = (
            f"This memo looks {NAMES[code]}; the coach reads English and Spanish, so it coached it as English "
            "and the scores say little about it."
        )
        return MemoLanguage(DEFAULT, code, confidence, note)
    return MemoLanguage(code, code, confidence, None)


def _detector() -> LanguageDetector:
    with _BUILDING:  # two first memos at once build it once
        return _build()


@cache
def _build() -> LanguageDetector:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in NAMES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
