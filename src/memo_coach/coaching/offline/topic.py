"""What a memo is about, so cue words count only where they refer to it.

A keyword-stuffed memo ("risk, owner, $250,000, 15 March") has no subject of its own: its
content words never recur. A real memo names its subject again and again.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from memo_coach.coaching.offline.languages import LEXICONS, current
from memo_coach.coaching.offline.text import Block, Sentence


@dataclass(frozen=True)
class Topic:
    """What the memo is about: words that recur across its sentences (not cue words, not function words).

    Cues only count in sentences on that subject, so a list of "risk, owner, $250,000, 15 March"
    that never says what it is about earns nothing; `coherence` is the share of sentences on topic.
    """

    words: tuple[str, ...]  # the most frequent topic words, as written, for feedback
    coherence: float
    judged: bool  # too short to judge: every sentence counts as on topic


_CONTENT_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-]){3,}")


def _stem(word: str) -> str:
    """A crude stem (no plural s, first five letters): "tools" meets "tool", "customers" meets "customer"."""
    word = word.lower()
    return (word[:-1] if word.endswith("s") and len(word) > 4 else word)[:5]


@cache
def _not_topic(language: str) -> frozenset[str]:
    """Cue words and function words of the memo's language: never its subject."""
    lexicon = LEXICONS[language]
    return frozenset(lexicon.CUE_WORDS | lexicon.STOPWORDS)


# Too few sentences to tell a subject from stuffing; short memos are capped by length instead.
MIN_SENTENCES_FOR_TOPIC = 3
# Below this share of sentences on the memo's own subject, the text does not hang together.
COHERENT = 0.5


def content_stems(text: str) -> dict[str, str]:
    """Content words of a text by stem (first five letters), each with its first spelling."""
    found: dict[str, str] = {}
    not_topic = _not_topic(current())
    for word in _CONTENT_WORD.findall(text):
        lower = word.lower()
        if lower not in not_topic and lower.removesuffix("s") not in not_topic:
            found.setdefault(_stem(word), word)
    return found


def find_topic(
    body: tuple[Sentence, ...],
    subject: Sentence | None,
    memo_blocks: list[Block],
    stems: dict[int, dict[str, str]] | None = None,
) -> tuple[Topic, tuple[Sentence, ...]]:
    """The memo's topic and the body sentences whose cues count (all of them in a coherent memo).
    `stems`: each sentence's content_stems by its start, when the caller has them already."""
    per_sentence = [stems[s.start] if stems is not None else content_stems(s.text) for s in body]
    counts: dict[str, int] = {}
    for stems in per_sentence:
        for stem in stems:
            counts[stem] = counts.get(stem, 0) + 1
    titled = content_stems(subject.text.partition(":")[2]) if subject else {}
    topical = {stem for stem, n in counts.items() if n >= 2 or (n >= 1 and stem in titled)}
    spelled = {stem: word for stems in per_sentence for stem, word in stems.items()}
    ranked = sorted(topical, key=lambda stem: (-counts[stem], stem))
    if len(body) < MIN_SENTENCES_FOR_TOPIC:
        return Topic(tuple(spelled[t] for t in ranked[:5]), 1.0, judged=False), body
    # A sentence is on topic when it, or a sentence of its paragraph or bullet, names the subject:
    # "We will run both tools in parallel" follows "Migration could disrupt replies".
    starts = [b.start for b in memo_blocks]
    block_of = [bisect_right(starts, s.start) - 1 for s in body]
    topical_blocks = {b for b, stems in zip(block_of, per_sentence, strict=True) if topical.intersection(stems)}
    on_topic = tuple(s for s, b in zip(body, block_of, strict=True) if b in topical_blocks)
    coherence = round(len(on_topic) / len(body), 2)
    # In a memo that hangs together, a sentence may name its subject by another word ("it", a
    # product name); only where most sentences do not are the off-topic ones set aside.
    counted = body if coherence >= COHERENT else on_topic
    return Topic(tuple(spelled[t] for t in ranked[:5]), coherence, judged=True), counted
