"""Line-by-line coaching: pick the sentences most worth a comment and say what to do with each.

Every quote is the writer's sentence verbatim (an exact substring of the memo), so the page can
highlight it. Problems come first; when a memo has few, well-made sentences are pointed out so a
strong memo still gets a few useful notes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from memo_coach.coaching.offline.features import OPENING_SENTENCES, MemoFeatures
from memo_coach.coaching.offline.languages import lexicon as lx
from memo_coach.coaching.offline.scoring import LONG_SENTENCE_WORDS
from memo_coach.coaching.offline.text import Sentence
from memo_coach.coaching.result import SegmentFeedback

MAX_SEGMENTS = 6
MIN_SEGMENTS = 3
MAX_QUOTE_CHARS = 300
PLAIN_WORDS = {
    "in order to": "to",
    "utilize": "use",
    "utilise": "use",
    "leverage": "use",
    "due to the fact that": "because",
    "at this point in time": "now",
    "going forward": "from now on, or drop it",
    "in terms of": "for, or about",
    "bandwidth": "time, or people",
}

Note = tuple[Sentence, SegmentFeedback]
Finder = Callable[[MemoFeatures, set[int]], Note | None]


def segment_feedback(features: MemoFeatures) -> list[SegmentFeedback]:
    """Up to six comments, problems first, then strengths; returned in the order they appear in the memo."""
    picked: dict[int, Note] = {}
    for finder in PROBLEM_FINDERS + PRAISE_FINDERS:
        if len(picked) >= MAX_SEGMENTS or (finder in PRAISE_FINDERS and len(picked) >= MIN_SEGMENTS):
            break
        found = finder(features, set(picked))
        if found is not None:
            picked[found[0].start] = found
    return [feedback for _, (_, feedback) in sorted(picked.items())]


def quote_of(sentence: Sentence) -> str:
    """The sentence, or its first 300 characters cut at a word: still an exact substring of the memo."""
    if len(sentence.text) <= MAX_QUOTE_CHARS:
        return sentence.text
    cut = sentence.text[:MAX_QUOTE_CHARS]
    head = cut.rsplit(" ", 1)[0].rstrip()
    return head if head else cut


def _first(candidates: tuple[Sentence, ...] | list[Sentence], taken: set[int]) -> Sentence | None:
    return next((s for s in candidates if s.start not in taken), None)


def _note(sentence: Sentence, comment: str, questions: list[str], suggestion: str) -> Note:
    return sentence, SegmentFeedback(
        quote=quote_of(sentence), comment=comment, questions=questions, suggestion=suggestion
    )


def _term(pattern: re.Pattern[str], sentence: Sentence) -> str:
    match = pattern.search(sentence.text)
    return match.group() if match else ""


def buried_opening(f: MemoFeatures, taken: set[int]) -> Note | None:
    opening = f.structure.opening
    if opening is None or f.structure.opening_states_point or opening.start in taken:
        return None
    start = "thinks aloud" if f.structure.opening_rambles else "opens with background"
    return _note(
        opening,
        f"The memo {start} instead of stating the point: a reader who stops here does not know what you want.",
        [
            "What decision do you need, from whom, and by when?",
            "If the reader read only this sentence, what should they do?",
        ],
        "Start with one sentence that states your recommendation and the ask; move this background after it.",
    )


def unsupported_claim(f: MemoFeatures, taken: set[int]) -> Note | None:
    sentence = _first(f.evidence.unsupported, taken)
    if sentence is None:
        return None
    word = _term(lx.SWEEPING_CLAIM, sentence)
    return _note(
        sentence,
        f"'{word}' is a claim a sceptical reader will question, and nothing in this sentence backs it.",
        ["What number or source shows this?", "Compared with what baseline or period?"],
        "Replace the adjective with the figure and where it comes from, e.g. 'rose from A to B (source, date)'.",
    )


def long_sentence(f: MemoFeatures, taken: set[int]) -> Note | None:
    longest = f.clarity.longest
    if longest is None or longest.words <= LONG_SENTENCE_WORDS or longest.start in taken:
        return None
    return _note(
        longest,
        f"At {longest.words} words this is the longest sentence; readers lose the thread past about 25.",
        ["What is the one point this sentence must make?", "Where could it split into two?"],
        "Split it into sentences of under 20 words, main point first, details after.",
    )


def passive_sentence(f: MemoFeatures, taken: set[int]) -> Note | None:
    sentence = _first(f.clarity.passive, taken)
    if sentence is None:
        return None
    return _note(
        sentence,
        f"Passive voice ('{_term(lx.PASSIVE, sentence)}') hides who acts, which matters most for decisions and owners.",
        ["Who does this, or who did it?"],
        "Make the actor the subject: 'The finance team approved...' rather than 'It was approved...'.",
    )


def hedging_sentence(f: MemoFeatures, taken: set[int]) -> Note | None:
    sentence = _first(f.clarity.hedging, taken)
    if sentence is None:
        return None
    return _note(
        sentence,
        f"The hedge '{_term(lx.HEDGE, sentence)}' weakens the position and leaves the reader unsure what you believe.",
        ["How confident are you, and what would make you sure?", "Is there a condition you could state instead?"],
        "State it plainly; if there is real uncertainty, give the condition or the odds instead of a hedge.",
    )


def jargon_sentence(f: MemoFeatures, taken: set[int]) -> Note | None:
    sentence = _first(f.clarity.jargon, taken)
    if sentence is None:
        return None
    term = _term(lx.JARGON, sentence)
    plain = PLAIN_WORDS.get(term.lower())
    return _note(
        sentence,
        f"'{term}' is jargon or filler: it costs the reader time and says little.",
        ["What would you say to a colleague outside your team?"],
        f"Use '{plain}' instead." if plain else f"Cut '{term}' or replace it with a plain, specific word.",
    )


def incomplete_ask(f: MemoFeatures, taken: set[int]) -> Note | None:
    ask = f.ask
    sentence = _first(ask.requests, taken)
    if sentence is None or (ask.amount and ask.deadline):
        return None
    missing = " and ".join(m for m, ok in (("an amount", ask.amount), ("a deadline", ask.deadline)) if not ok)
    return _note(
        sentence,
        f"This is your ask, but it lacks {missing}, so the reader cannot simply say yes.",
        ["How much exactly: money, people or time?", "By what date do you need the decision?"],
        "Rewrite as one complete request: what, how much, from whom, by when.",
    )


def unmitigated_risk(f: MemoFeatures, taken: set[int]) -> Note | None:
    bare = [s for s in f.risks.risk_sentences if not lx.MITIGATION.search(s.text)]
    sentence = _first(bare, taken)
    if sentence is None or f.risks.mitigations:
        return None
    return _note(
        sentence,
        "This names a risk without saying how it will be reduced or handled.",
        ["How likely is it, and what would it cost?", "What will you do if it happens?"],
        "Follow it with the mitigation and its owner, e.g. 'To limit this, we will ... (owner, date)'.",
    )


def strong_opening(f: MemoFeatures, taken: set[int]) -> Note | None:
    """Praise lands on the sentence that states the point, never on whatever comes first (a greeting,
    a line of background) and never on a point the memo only reaches later."""
    s = f.structure
    point = s.point
    if point is None or not s.opening_states_point or point.start in taken or point not in f.body[:OPENING_SENTENCES]:
        return None
    complete = lx.NUMBER.search(point.text) and lx.DEADLINE.search(point.text)
    question = (
        "What happens if the reader says no or decides late?" if complete else "Does it also say how much and by when?"
    )
    return _note(
        point,
        "A strong opening: it puts the point first, so the reader knows what the memo is for.",
        [question],
        "Keep this first; make sure the subject line says the same thing in a few words.",
    )


def figure_without_source(f: MemoFeatures, taken: set[int]) -> Note | None:
    """A figure that measures something but names no origin; a bare list of numbers earns no "Good"."""
    sentence = _first(f.evidence.unsourced, taken)
    if sentence is None:
        return None
    return _note(
        sentence,
        "Good: a specific figure. A reader deciding on it will want to know where it comes from.",
        ["Where does this figure come from, and how recent is it?"],
        "Add the source and date in a few words, e.g. '(finance ledger, March)'.",
    )


def closing_sentence(f: MemoFeatures, taken: set[int]) -> Note | None:
    pool = f.body or f.sentences
    if not pool or pool[-1].start in taken:
        return None
    return _note(
        pool[-1],
        "The closing line is what the reader remembers; it is the place to restate the ask and the next step.",
        ["Does this line tell the reader what to do next?"],
        "End with the decision you need and the date, e.g. 'Please approve by Friday so we can start on Monday.'",
    )


def any_sentence(f: MemoFeatures, taken: set[int]) -> Note | None:
    sentence = _first(sorted(f.body or f.sentences, key=lambda s: (-s.words, s.start)), taken)
    if sentence is None:
        return None
    return _note(
        sentence,
        "Test this sentence against the memo's purpose: does it help the reader decide?",
        ["What would the reader lose if this sentence were cut?"],
        "Keep it only if it supports the recommendation; otherwise cut it or move it to an appendix.",
    )


PROBLEM_FINDERS: list[Finder] = [
    buried_opening,
    unsupported_claim,
    long_sentence,
    incomplete_ask,
    passive_sentence,
    hedging_sentence,
    unmitigated_risk,
    jargon_sentence,
]
PRAISE_FINDERS: list[Finder] = [strong_opening, figure_without_source, closing_sentence, any_sentence]
