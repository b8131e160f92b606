"""What stands behind a cue: whether a line is a sentence, a figure measures something, a source
is named and a handling says what will be done.

A cue word on its own ("Risk: mitigated.", "Data shows 40% uplift.", "Per the report") is how a
memo that says nothing games a word counter; these tests ask for the words a real argument puts
beside it. The vocabulary is the lexicon's (lexicon.py, "Substance"), so another language mirrors it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache, lru_cache

from memo_coach.coaching.offline.languages import current
from memo_coach.coaching.offline.languages import lexicon as lx
from memo_coach.coaching.offline.text import Sentence, words

# Below this many words a line is a slogan or a fragment ("Speed wins.", "Data shows risk.").
MIN_SENTENCE_WORDS = 4
# After a label ("Risk:"), the line must run on this far to be a sentence rather than a list entry.
MIN_LABELLED_WORDS = 6
# Two sentences sharing this share of their content words make the same claim.
SAME_CLAIM = 0.8
MIN_CLAIM_WORDS = 3
# How far from a figure the thing it measures may be, in words.
MEASURE_REACH = 3

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,]*|[%$€£]")
_CLAUSE_END = re.compile(r"[,;:()!?]|\.(?:\s|$)")
_CAPITALISED = re.compile(r"[A-Z][\w'’&-]*")


def is_fragment(sentence: Sentence) -> bool:
    """A slogan or a label-colon entry with nothing behind it ("Risk: mitigated.", "Owner: leadership."),
    rather than a sentence a reader can follow. A short entry that names things ("Cost: $62,000 (Dell
    quote, 3 March)", "Owner: Ana Ruiz") is a list item, not a fragment."""
    label = lx.LABEL.match(sentence.text)
    if label is None:
        return sentence.words < MIN_SENTENCE_WORDS
    rest = sentence.text[label.end() :]
    return len(words(rest)) < MIN_LABELLED_WORDS and len(_naming_words(rest)) < 2


def _naming_words(text: str) -> list[str]:
    """Specific words that are not a generic measure ("growth") or a bare source noun ("report")."""
    return [w for w in specific_words(text) if w not in lx.GENERIC_MEASURES and not lx.SOURCE_NOUN.fullmatch(w)]


def specific_words(text: str) -> tuple[str, ...]:
    """The words that say something particular: no function word, cue word, filler or empty action."""
    return _specific_words(text, current())


# Several rules ask about the same sentence; a memo resubmitted after an edit repeats most of its sentences.
@lru_cache(maxsize=4096)
def _specific_words(text: str, language: str) -> tuple[str, ...]:
    nothing = _says_nothing(language)
    return tuple(
        w for w in (t.lower() for t in _TOKEN.findall(text)) if len(w) >= 3 and w[0].isalpha() and w not in nothing
    )


@cache
def _says_nothing(language: str) -> frozenset[str]:
    """Every word of the language's lexicon that names nothing particular, as one set (`language` keys the cache)."""
    return frozenset(lx.FUNCTION_WORDS | lx.CUE_WORDS | lx.STOPWORDS | lx.EMPTY_ACTIONS)


def distinct_claims(body: tuple[Sentence, ...], stems: dict[int, dict[str, str]]) -> tuple[Sentence, ...]:
    """The sentences less those that restate an earlier one in other order or with a word changed:
    "Parking is the biggest complaint we hear." and "The biggest complaint we hear is parking.".
    `stems`: each sentence's content words by stem (topic.content_stems), by the sentence's start."""
    kept: list[Sentence] = []
    sizes: list[int] = []
    holding: dict[str, list[int]] = {}  # stem -> the earlier claims that hold it
    for sentence in body:
        claim = stems[sentence.start].keys()
        if len(claim) < MIN_CLAIM_WORDS:
            kept.append(sentence)
            continue
        shared: dict[int, int] = {}
        for stem in claim:
            for i in holding.get(stem, ()):
                shared[i] = shared.get(i, 0) + 1
        if any(n >= SAME_CLAIM * (len(claim) + sizes[i] - n) for i, n in shared.items()):
            continue
        kept.append(sentence)
        for stem in claim:
            holding.setdefault(stem, []).append(len(sizes))
        sizes.append(len(claim))
    return tuple(kept)


def industry_wide(text: str) -> bool:
    """A statistic about companies or a market at large, not about the writer's own case ("87% of companies",
    "organisations lose $12.9 million a year"): a population word and nothing that says "we" or "our"."""
    said = {token.lower() for token in _TOKEN.findall(text)}
    return not said.isdisjoint(lx.POPULATIONS) and said.isdisjoint(lx.OURS)


def measured_figures(
    text: str, numbers: list[tuple[int, int]], dates: list[tuple[int, int]], words: MeasureWords
) -> list[str]:
    """The figures of a sentence that measure something named beside them, as "figure thing": "23 times",
    "35% tickets" (from "tickets fell by 35%"). Not a year, a date, a label ("week 2") or a figure of a
    generic noun ("40% uplift", "87% of outcomes"), nor one of a bare list ("45%, 12% and 3.2x")."""
    found: list[str] = []
    figures = [
        (start, end)
        for start, end in numbers
        if not (end - start == 4 and words.year.fullmatch(text, start, end))
        and not any(a <= start < b for a, b in dates)
    ]
    if not figures:
        return found
    lowered = text.lower()
    tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(lowered if len(lowered) == len(text) else text)]
    starts = [at for at, _ in tokens]
    stops = [m.start() for m in _CLAUSE_END.finditer(text)]  # where clauses end: a figure reads within its own
    for start, end in figures:
        figure = text[start:end]
        i, j = bisect_left(starts, start), bisect_left(starts, end)
        clause_start = stops[k - 1] if (k := bisect_left(stops, start)) else -1
        clause_end = stops[k] if (k := bisect_left(stops, end)) < len(stops) else len(text)
        before = [word for at, word in tokens[max(0, i - MEASURE_REACH - 2) : i] if at > clause_start]
        if before and before[-1].lower() in words.labels:
            continue
        after = [word for at, word in tokens[j : j + MEASURE_REACH + 2] if at < clause_end]
        thing = words.thing(after)
        if thing is None:
            thing = words.thing(reversed(before), change_words=True)
        if thing:
            found.append(f"{figure} {thing}")
    return found


class MeasureWords:
    """The lexicon's word sets that measured_figures reads, looked up once per memo (the lexicon is per language)."""

    def __init__(self) -> None:
        self.labels, self.units, self.links = lx.NUMBER_LABELS, lx.UNITS, lx.FUNCTION_WORDS
        self.changes, self.generic, self.year = lx.CHANGE_WORDS, lx.GENERIC_MEASURES | lx.POPULATIONS, lx.YEAR

    def thing(self, tokens, change_words: bool = False) -> str | None:
        """The first word that names what a figure measures, skipping units and links: "" when that word
        is generic ("uplift") or a whole population ("companies"), None when there is none within reach."""
        for reach, token in enumerate(tokens):
            if reach > MEASURE_REACH:
                return None
            token = token.lower()  # a no-op on lowered text; the rare text that lowers longer is not
            if token in self.units or token in self.links or (change_words and token in self.changes):
                continue
            if not token[0].isalpha():
                return None
            return "" if token in self.generic else token
        return None


# Characters before a source noun worth reading for the word that names it.
_WINDOW = 60


def _clause_start(text: str, at: int) -> int:
    ends = [m.end() for m in _CLAUSE_END.finditer(text, max(0, at - _WINDOW), at)]
    return ends[-1] if ends else max(0, at - _WINDOW)


def named_source(text: str, start: int, end: int) -> str | None:
    """The origin the source candidate at text[start:end] names, as written ("monitoring log", "Finance,
    March"), or None for a cue phrase or a bare noun ("per the", "data shows", "the report", "(report, Q3)")."""
    found = text[start:end]
    if found.startswith(("http", "[")):
        return found
    if found.startswith("("):
        return _named_parenthesis(found[1:-1])
    if lx.SOURCE_NOUN.fullmatch(found):
        return _qualified_noun(text, start, end)
    return _named_after_cue(text, end)


def _named_parenthesis(inner: str) -> str | None:
    bare = lx.DATE.sub(" ", inner)
    for token in _TOKEN.findall(bare):
        word = token.lower()
        if word[0].isalpha() and not (
            word in lx.FUNCTION_WORDS or word in lx.VAGUE_QUALIFIERS or lx.SOURCE_NOUN.fullmatch(word)
        ):
            return inner.strip()
    return None


def _qualified_noun(text: str, start: int, end: int) -> str | None:
    """ "the support dashboard", "Gartner's survey", "a report from Finance": the noun with a word that names it."""
    before = _TOKEN.findall(text[_clause_start(text, start) : start])
    if before and before[-1][0].isalpha():
        word = before[-1].lower()
        if not (word in lx.FUNCTION_WORDS or word in lx.VAGUE_QUALIFIERS or word in lx.CHANGE_WORDS):
            return f"{before[-1]} {text[start:end]}"
    after = _TOKEN.findall(text[end : end + 40])
    if len(after) >= 2 and after[0].lower() in lx.SOURCE_LINKS and _CAPITALISED.fullmatch(after[1]):
        return f"{text[start:end]} {after[0]} {after[1]}"
    return None


def _named_after_cue(text: str, end: int) -> str | None:
    """ "according to Ana Ruiz", "Source: HR": a cue phrase names an origin only when a name follows it."""
    for token in _TOKEN.findall(text[end : end + 40])[:3]:
        if _CAPITALISED.fullmatch(token) and token.lower() not in lx.FUNCTION_WORDS:
            return token
        if token.lower() not in lx.FUNCTION_WORDS:
            return None
    return None


def says_what_is_done(text: str) -> bool:
    """A handling with an action and its object ("run both tools in parallel for two weeks"), not
    "we will manage it" or "mitigated"."""
    return len(specific_words(text)) >= 2
