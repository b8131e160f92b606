"""Which lexicon and readability measure the offline analyzer reads a memo with, by its language.

The analyzer's modules read their words through `lexicon` (imported as `lx`), which holds the names of
the lexicon of the language being analysed: the analyzer sets it for one evaluation with `speaking`.
The same counting logic then reads English and Spanish; only words, patterns and the readability
formula differ. Not a parameter threaded through every function, so the scoring rules stay readable;
and per thread, so threads analysing in different languages never see each other's words. A
thread-local's attributes are read at nearly a module's speed, which matters: an analysis reads the
lexicon thousands of times (a proxy resolving each name cost 10% of the English analysis time).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from memo_coach.coaching.offline import lexicon as english
from memo_coach.coaching.offline import lexicon_es as spanish
from memo_coach.coaching.offline.readability import perspicuity
from memo_coach.coaching.offline.readability import reading_ease as flesch_reading_ease

LEXICONS: dict[str, ModuleType] = {"en": english, "es": spanish}
DEFAULT = "en"


def _names(module: ModuleType) -> dict[str, object]:
    return {name: value for name, value in vars(module).items() if not name.startswith("_")}


_NAMES = {language: _names(module) for language, module in LEXICONS.items()}


class _ThreadLexicon(threading.local):
    """The public names of the lexicon this thread is analysing in (English until told otherwise)."""

    def __init__(self) -> None:
        self._use(DEFAULT)

    def _use(self, language: str) -> None:
        self.__dict__.clear()  # a name one lexicon lacks is an error, never the other language's word
        self.__dict__.update(_NAMES[language])
        self._language = language


lexicon = _ThreadLexicon()


def current() -> str:
    return lexicon._language


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Analyse in `language` (a key of LEXICONS) in this thread until the block ends."""
    if language not in LEXICONS:
        raise ValueError(f"the offline analyzer reads {', '.join(LEXICONS)}, not {language!r}")
    previous = current()
    if language == previous:
        yield
        return
    lexicon._use(language)
    try:
        yield
    finally:
        lexicon._use(previous)


def reading_ease(prose: str) -> float | None:
    """The readability score for the language being analysed (higher is easier, about 60 is plain)."""
    return perspicuity(prose) if current() == "es" else flesch_reading_ease(prose)
