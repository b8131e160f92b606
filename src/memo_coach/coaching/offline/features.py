"""Measurable features of a memo, one group per analyzer dimension.

These are the facts the offline coach reasons from; scores and feedback are computed from
them alone, so the same memo always gets the same feedback and every judgement can name
what it saw.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from memo_coach.coaching.offline.languages import lexicon as lx
from memo_coach.coaching.offline.languages import reading_ease
from memo_coach.coaching.offline.substance import (
    MeasureWords,
    distinct_claims,
    industry_wide,
    is_fragment,
    measured_figures,
    named_source,
    says_what_is_done,
    specific_words,
)
from memo_coach.coaching.offline.text import Block, Sentence, blocks, sentences
from memo_coach.coaching.offline.topic import Topic, content_stems, find_topic

BODY_KINDS = ("paragraph", "bullet")
# The opening: how many body sentences a reader sees before deciding whether to read on.
OPENING_SENTENCES = 2


@dataclass(frozen=True)
class Structure:
    headings: int
    heading_texts: tuple[str, ...]
    has_subject: bool
    paragraphs: int
    bullets: int
    longest_paragraph_words: int
    opening: Sentence | None
    opening_states_point: bool
    opening_rambles: bool  # thinks aloud or hedges instead of stating the point
    point_sentence_index: int | None  # body sentence where the point first appears
    point: Sentence | None


@dataclass(frozen=True)
class Evidence:
    figures: int
    percentages: int
    money: int
    dates: int
    sources: int
    source_texts: tuple[str, ...]  # the sources as written, for feedback
    figure_sentence: Sentence | None  # the first sentence with a figure that measures something
    unsupported: tuple[Sentence, ...]  # sweeping claims with no figure or source in the sentence
    restated: int  # sentences whose every figure was given before: the same claim again
    unsourced: tuple[Sentence, ...]  # sentences with a figure that measures something, but no named source


@dataclass(frozen=True)
class Clarity:
    reading_ease: float | None
    average_sentence_words: float
    longest: Sentence | None
    passive: tuple[Sentence, ...]
    hedging: tuple[Sentence, ...]
    hedge_words: int
    jargon: tuple[Sentence, ...]
    jargon_terms: tuple[str, ...]
    vague_terms: tuple[str, ...]
    fragments: tuple[Sentence, ...]  # slogans and label-colon entries, which are not judged as prose
    repeats: int  # sentences that restate an earlier one


@dataclass(frozen=True)
class Ask:
    requests: tuple[Sentence, ...]  # decisive requests on the memo's subject
    tentative: tuple[Sentence, ...]  # "maybe we should look at...": a wish, not an ask
    amount: bool
    deadline: bool
    up_front: bool
    stakes: bool  # says what the date is for or what a late answer costs, or asks again at the close


@dataclass(frozen=True)
class Risks:
    risks: int  # sentences naming a risk
    mitigations: int
    alternatives: int
    section: bool
    risk_sentences: tuple[Sentence, ...]
    mitigation_sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Plan:
    timeline: int
    owners: int
    steps: tuple[Sentence, ...]  # sentences that say who does what by when
    scheduled: int  # plan sentences that say when: a date or a deadline
    resources: int
    next_steps: int
    measures: int
    section: bool
    owner_sentence: Sentence | None


@dataclass(frozen=True)
class MemoFeatures:
    words: int
    sentences: tuple[Sentence, ...]
    body: tuple[Sentence, ...]
    subject: Sentence | None
    topic: Topic
    structure: Structure
    evidence: Evidence
    clarity: Clarity
    ask: Ask
    risks: Risks
    plan: Plan


class Body:
    """Body sentences joined once, so each pattern scans the memo once instead of once per sentence.

    Scanning per sentence cost about 20 ms on a 1,000-word memo; one scan keeps the analyzer
    well inside its latency budget. NUL separates sentences so no phrase match spans two of them.
    """

    SEPARATOR = "\x00"

    def __init__(self, body: tuple[Sentence, ...], within: Body | None = None) -> None:
        self.sentences = body
        self.within = within
        self.text = self.SEPARATOR.join(s.text for s in body)
        lowered = self.text.lower()
        # Offsets must line up with the text; a character that lowers to two (rare) keeps the slow path.
        self.lowered = lowered if len(lowered) == len(self.text) else None
        self.ascii = _ascii_alike(self.text)
        self.offsets: list[int] = []
        self._cache: dict[int, list[tuple[int, str]]] = {}  # by id(pattern): see _scan
        self._word_starts: dict[str, list[int]] | None = None  # where each run of word characters starts
        self._having_starts: dict[int, set[int]] = {}  # by id(pattern): see has
        self._spans: dict[int, dict[int, list[tuple[int, int]]]] = {}  # by id(pattern): see spans
        at = 0
        for sentence in body:
            self.offsets.append(at)
            at += len(sentence.text) + len(self.SEPARATOR)

    def count(self, pattern: re.Pattern[str]) -> int:
        return len(self._matches(pattern))

    def terms(self, pattern: re.Pattern[str]) -> list[str]:
        return [text for _, text in self._matches(pattern)]

    def having(self, pattern: re.Pattern[str]) -> tuple[Sentence, ...]:
        """Sentences with at least one match, in memo order."""
        hits = {bisect_right(self.offsets, at) - 1 for at, _ in self._matches(pattern)}
        return tuple(self.sentences[i] for i in sorted(hits))

    def has(self, sentence: Sentence, pattern: re.Pattern[str]) -> bool:
        """Whether `pattern.search(sentence.text)` finds anything, for one of this body's sentences: read off
        the body's one scan, where a search of each sentence in turn scanned the memo again. A pattern anchored
        at the ends of the text (see anchored) searches the sentence: the body's ends are not the sentence's."""
        if _scan(pattern).anchored:
            return pattern.search(sentence.text) is not None
        if (starts := self._having_starts.get(id(pattern))) is None:
            starts = self._having_starts[id(pattern)] = {s.start for s in self.having(pattern)}
        return sentence.start in starts

    def per_sentence(self, pattern: re.Pattern[str]) -> dict[int, int]:
        """Matches in each sentence that has any, by the sentence's start in the memo."""
        counts: dict[int, int] = {}
        for at, _ in self._matches(pattern):
            start = self.sentences[bisect_right(self.offsets, at) - 1].start
            counts[start] = counts.get(start, 0) + 1
        return counts

    def spans(self, pattern: re.Pattern[str]) -> dict[int, list[tuple[int, int]]]:
        """Where the matches are in each sentence that has any (offsets in the sentence), by the sentence's start."""
        if (found := self._spans.get(id(pattern))) is None:
            found = self._spans[id(pattern)] = {}
            for at, text in self._matches(pattern):
                i = bisect_right(self.offsets, at) - 1
                start = at - self.offsets[i]
                found.setdefault(self.sentences[i].start, []).append((start, start + len(text)))
        return found

    def part(self, sentences: tuple[Sentence, ...]) -> Body:
        """A body of some of these sentences, which takes its matches from this body's scans."""
        return Body(sentences, within=self)

    def _matches(self, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
        # Several dimensions ask about the same pattern (numbers, dates, money); scan each once.
        if (found := self._cache.get(id(pattern))) is None:
            found = self._cache[id(pattern)] = self._find(_scan(pattern))
        return found

    def _find(self, scan: _Scan) -> list[tuple[int, str]]:
        outer = self.within
        # A part most of its whole is cheaper to read off the whole's scan, which its siblings share.
        if outer and (id(scan.pattern) in outer._cache or 2 * len(self.text) >= len(outer.text)) and not scan.anchored:
            return self._read_off(outer, scan.pattern)
        if self.lowered is not None:  # else a character lowers to two: the plain scan
            if scan.firsts is not None:
                return self._at_words(scan)
            if scan.folded:
                folded = scan.ascii if self.ascii else scan.folded
                return [(m.start(), self.text[m.start() : m.end()]) for m in folded.finditer(self.lowered)]
        plain = scan.ascii if self.ascii else scan.pattern  # ASCII text lowers exactly, so `folded` is None here
        return [(m.start(), m.group()) for m in plain.finditer(self.text)]

    def _at_words(self, scan: _Scan) -> list[tuple[int, str]]:
        """What `finditer` finds, trying the pattern only where one of its first words starts: a word
        list's match starts a run of word characters (its look-behind says so) that is a phrase's first
        word, and a scan at every character cost several times more. Later matches start past earlier ones."""
        if self._word_starts is None:
            self._word_starts = {}
            for run in (_ASCII_WORD_RUN if self.ascii else lx.WORD_RUN).finditer(self.lowered):
                self._word_starts.setdefault(run.group(), []).append(run.start())
        starts = self._word_starts
        match, found, end = (scan.ascii if self.ascii else scan.folded).match, [], 0
        for at in sorted(at for word in starts.keys() & scan.firsts for at in starts[word]):
            if at >= end and (matched := match(self.lowered, at)):
                found.append((at, self.text[at : matched.end()]))
                end = matched.end()
        return found

    def _read_off(self, outer: Body, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
        """The whole's matches in this part's sentences, at this part's offsets: exactly what a scan of
        this part finds, because no match spans a separator and a separator reads like the text's ends."""
        mine = {s.start: at for s, at in zip(self.sentences, self.offsets, strict=True)}
        found = []
        for at, text in outer._matches(pattern):
            i = bisect_right(outer.offsets, at) - 1
            base = mine.get(outer.sentences[i].start)
            if base is not None:
                found.append((base + at - outer.offsets[i], text))
        return sorted(found)


@dataclass(frozen=True)
class _Scan:
    """How a body scans one pattern, worked out once per pattern."""

    pattern: re.Pattern[str]
    anchored: bool
    folded: re.Pattern[str] | None  # see case_sensitive
    firsts: frozenset[str] | None  # see lexicon.FIRST_WORDS
    ascii: re.Pattern[str]  # `folded`, or else `pattern`, for text that is _ascii_alike


# By id: a compiled pattern hashes its whole program (kilobytes for a word list) on every dict lookup,
# which cost more than some of the scans. Each _Scan holds its pattern, so no id is reused.
_SCANS: dict[int, _Scan] = {}


def _scan(pattern: re.Pattern[str]) -> _Scan:
    if (scan := _SCANS.get(id(pattern))) is None:
        folded = case_sensitive(pattern)
        scan = _SCANS[id(pattern)] = _Scan(
            pattern, anchored(pattern), folded, lx.FIRST_WORDS.get(pattern), _ascii_only(folded or pattern)
        )
    return scan


def _ascii_alike(text: str) -> bool:
    """Whether patterns compiled with re.ASCII find exactly what they find without it: in ASCII text,
    \\w, \\d and \\b mean the same either way, and \\s too but for the separators \\x1c-\\x1f (Unicode
    whitespace). The ASCII twins test characters in a table instead of the Unicode database, which
    makes most scans a quarter faster."""
    return text.isascii() and not any(separator in text for separator in "\x1c\x1d\x1e\x1f")


def _ascii_only(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern, pattern.flags & ~re.UNICODE | re.ASCII)


_ASCII_WORD_RUN = _ascii_only(lx.WORD_RUN)


def anchored(pattern: re.Pattern[str]) -> bool:
    """Whether the pattern anchors at an end of the text (^, $, \\A, \\Z): a part's ends are not its whole's,
    so such a pattern scans each part itself. Escapes and character classes are set aside first."""
    bare = re.sub(r"\[(?:[^\]])*\]", "", re.sub(r"\\[^AZ]", "", pattern.pattern))
    return re.search(r"[$^]|\\[AZ]", bare) is not None


def case_sensitive(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """An IGNORECASE pattern without the flag, for lower-cased text: it scans about twice as fast,
    because re folds the case of every character it tries. Exact only for a pattern with no upper-case
    letter of its own, which tests/unit/coaching/test_offline_analyzer.py checks of every lexicon pattern.
    None for a case-sensitive pattern, which scans the text as it is."""
    if not pattern.flags & re.IGNORECASE:
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def extract_features(memo: str) -> MemoFeatures:
    """Measure everything the scorers need in one pass over the memo's blocks and sentences."""
    memo_blocks = blocks(memo)
    all_sentences = tuple(sentences(memo, memo_blocks))
    subject = next(
        (s for s in all_sentences if s.kind == "field" and s.text.lower().startswith(("subject", "re", "asunto"))), None
    )
    # A sentence said twice counts once: repeating the ask is not a second ask, nor restating a claim.
    said = tuple({s.text.lower(): s for s in reversed(all_sentences) if s.kind in BODY_KINDS}.values())[::-1]
    stems = {s.start: content_stems(s.text) for s in said}
    body_sentences = distinct_claims(said, stems)
    body = Body(body_sentences)
    topic, on_topic = find_topic(body_sentences, subject, memo_blocks, stems)
    relevant = body.part(on_topic)
    headings = [s.text for s in all_sentences if s.kind == "heading"]
    ask = _ask(body, relevant, subject)
    fragments = frozenset(s.start for s in body_sentences if is_fragment(s))
    # The ask's own amount and date are not evidence for it, nor a plan for what follows.
    argued = relevant.part(tuple(s for s in on_topic if s not in ask.requests))
    return MemoFeatures(
        words=sum(s.words for s in body_sentences) + sum(len(h.split()) for h in headings),
        sentences=all_sentences,
        body=body.sentences,
        subject=subject,
        topic=topic,
        structure=_structure(memo_blocks, body, relevant, subject),
        evidence=_evidence(argued, body, fragments),
        clarity=_clarity(body, fragments, sum(s.kind in BODY_KINDS for s in all_sentences) - len(body_sentences)),
        ask=ask,
        risks=_risks(relevant, headings, _under(all_sentences, lx.RISK, on_topic), fragments),
        plan=_plan(argued, headings, _under(all_sentences, lx.NEXT_STEP, on_topic), fragments, ask.amount),
    )


def _under(
    all_sentences: tuple[Sentence, ...], heading: re.Pattern[str], on_topic: tuple[Sentence, ...]
) -> tuple[Sentence, ...]:
    """Body sentences on topic in sections whose heading matches: under "Risks", every line is about risk."""
    inside, found, relevant = False, [], {s.start for s in on_topic}
    for sentence in all_sentences:
        if sentence.kind == "heading":
            inside = heading.search(sentence.text) is not None
        elif inside and sentence.start in relevant:
            found.append(sentence)
    return tuple(found)


def _decisive(sentence: Sentence, body: Body, cue: re.Pattern[str] | None = None, cued: Body | None = None) -> bool:
    """States something rather than thinking aloud: no rambling start, and no hedge (`body` holds the
    sentence). With a cue, only a hedge before it counts: "I request $40,000 by May, which could pay back
    in a year" asks plainly; "I think we should maybe ask" does not. `cued` holds the sentence and has
    scanned for the cue already."""
    if lx.RAMBLE.search(sentence.text):
        return False
    if not body.has(sentence, lx.HEDGE):
        return True
    asked = (cued or body).spans(cue).get(sentence.start) if cue is not None else None
    return asked is not None and body.spans(lx.HEDGE)[sentence.start][0][0] > asked[0][0]


def _structure(memo_blocks: list[Block], body: Body, relevant: Body, subject: Sentence | None) -> Structure:
    paragraphs = [b for b in memo_blocks if b.kind == "paragraph"]
    pointed = [s for s in relevant.having(lx.BOTTOM_LINE) if _decisive(s, body, lx.BOTTOM_LINE, relevant)]
    point_at = body.sentences.index(pointed[0]) if pointed else None
    early_heading = any(b.kind == "heading" and lx.SUMMARY_HEADING.search(b.text) for b in memo_blocks[:5])
    subject_states_point = subject is not None and lx.BOTTOM_LINE.search(subject.text) is not None
    opening = body.sentences[0] if body.sentences else None
    rambles = opening is not None and not _decisive(opening, body)
    opening_point = point_at is not None and point_at < OPENING_SENTENCES
    # A subject line or summary heading vouches for a point the body states early, not one it buries.
    early = point_at is not None and point_at < len(body.sentences) / 2
    states_point = opening is not None and (
        opening_point or (early and (early_heading or (subject_states_point and not rambles)))
    )
    return Structure(
        headings=sum(1 for b in memo_blocks if b.kind == "heading"),
        heading_texts=tuple(b.text.strip("#*_: ") for b in memo_blocks if b.kind == "heading"),
        has_subject=subject is not None,
        paragraphs=len(paragraphs),
        bullets=sum(1 for b in memo_blocks if b.kind == "bullet"),
        longest_paragraph_words=max((len(b.text.split()) for b in paragraphs), default=0),
        opening=opening,
        opening_states_point=states_point,
        opening_rambles=rambles,
        point_sentence_index=point_at,
        point=pointed[0] if pointed else None,
    )


def _evidence(body: Body, whole: Body, fragments: frozenset[int]) -> Evidence:
    """Figures that measure something and the named sources beside them, from the argument's sentences;
    sweeping claims from anywhere in the memo. A figure said again counts once."""
    numbers, dates = body.spans(lx.NUMBER), body.spans(lx.DATE)
    figures: dict[str, Sentence] = {}
    restated, words = 0, MeasureWords()
    for s in body.sentences:
        if s.start in numbers and s.start not in fragments and not industry_wide(s.text):
            found = [f.lower() for f in measured_figures(s.text, numbers[s.start], dates.get(s.start, []), words)]
            restated += bool(found) and all(f in figures for f in found)
            for figure in found:
                figures.setdefault(figure, s)
    measured = {s.start for s in figures.values()}
    # A source counts where it backs a figure or a date; a list of source words backs nothing.
    dated = measured | {start for start in dates if start not in fragments}
    candidates = body.spans(lx.SOURCE)
    named = {
        s.start: [name for at, end in candidates[s.start] if (name := named_source(s.text, at, end))]
        for s in body.sentences
        if s.start in dated and s.start in candidates
    }
    source_texts = tuple({name.lower(): name for names in named.values() for name in names}.values())
    source_texts = tuple(" ".join(name.split()) for name in source_texts)
    sourced = {start for start, names in named.items() if names}
    return Evidence(
        figures=len(figures),
        percentages=body.count(lx.PERCENT),
        money=body.count(lx.MONEY),
        # A date counts where it dates a figure ("in Q4", "as of March"), not a meeting day.
        dates=sum(1 for start in measured if start in dates),
        sources=len(source_texts),
        source_texts=source_texts,
        figure_sentence=min(figures.values(), key=lambda s: s.start, default=None),
        unsupported=tuple(s for s in whole.having(lx.SWEEPING_CLAIM) if s.start not in measured | sourced),
        restated=restated,
        unsourced=tuple(s for _, s in sorted({s.start: s for s in figures.values() if s.start not in sourced}.items())),
    )


def _clarity(body: Body, fragments: frozenset[int], repeats: int) -> Clarity:
    """Judged on sentences: slogans and label-colon entries are short, but they are not plain writing."""
    prose = [s for s in body.sentences if s.words >= 3 and s.start not in fragments]
    passive = tuple(s for s in body.having(lx.PASSIVE) if s.words >= 3 and not lx.NOT_PASSIVE.search(s.text))
    return Clarity(
        reading_ease=reading_ease(" ".join(s.text for s in prose)),
        average_sentence_words=round(sum(s.words for s in prose) / len(prose), 1) if prose else 0.0,
        longest=max(prose, key=lambda s: s.words, default=None),
        passive=passive,
        hedging=body.having(lx.HEDGE),
        hedge_words=body.count(lx.HEDGE),
        jargon=body.having(lx.JARGON),
        jargon_terms=tuple(dict.fromkeys(t.lower() for t in body.terms(lx.JARGON))),
        vague_terms=tuple(t.lower() for t in body.terms(lx.VAGUE)),
        fragments=tuple(s for s in body.sentences if s.start in fragments),
        repeats=repeats,
    )


def _ask(body: Body, relevant: Body, subject: Sentence | None) -> Ask:
    # "If you approve, I will order on 18 March" is what follows a yes, not the ask.
    asked = [
        s
        for s in relevant.having(lx.REQUEST)
        if (not s.text.rstrip().endswith("?") or lx.NUMBER.search(s.text)) and not body.has(s, lx.ON_APPROVAL)
    ]
    requests = tuple(s for s in asked if _decisive(s, body, lx.REQUEST, relevant))
    in_subject = subject is not None and lx.REQUEST.search(subject.text) is not None
    opening = body.sentences[:OPENING_SENTENCES]
    # The amount and the date belong to the ask itself (or its subject line), not anywhere in the memo.
    stated = [*requests, *([subject] if in_subject and requests else [])]
    return Ask(
        requests=requests,
        tentative=tuple(s for s in asked if s not in requests),
        amount=any(lx.NUMBER.search(s.text) or lx.MONEY.search(s.text) for s in stated),
        deadline=any(lx.DEADLINE.search(s.text) for s in stated),
        up_front=bool(requests) and (in_subject or any(s in requests for s in opening)),
        stakes=any(lx.ASK_STAKES.search(s.text) for s in stated) or any(s in requests for s in body.sentences[-2:]),
    )


def _risks(body: Body, headings: list[str], in_section: tuple[Sentence, ...], fragments: frozenset[int]) -> Risks:
    """A risk is an uncertain event with something at stake, handled by a sentence that says what will be
    done: "Risk: mitigated, we will manage it." names neither."""
    said = _Said(fragments)
    # "If the vendor misses 1 May, we will ..." names the event and its handling at once; "If you approve,
    # I will ..." is the plan.
    approval = {s.start for s in body.having(lx.ON_APPROVAL)}
    contingent = {s.start for s in body.having(lx.CONTINGENCY)} - approval
    cues = body.having(lx.RISK) + body.having(lx.RISK_MODAL) + body.having(lx.CONTINGENCY)
    named = {
        s.start: s
        for s in cues
        if s.start not in approval and (s.start in contingent or _uncertain(s, body)) and said(s)
    }
    planned = _handled(body, named, in_section, approval, contingent, said)
    # In a risk section each line is a risk, but one that speaks of "risks" must say which event.
    named |= {
        s.start: s
        for s in in_section
        if s not in planned
        and said(s)
        and not body.has(s, lx.ALTERNATIVE)
        and (not body.has(s, lx.RISK) or _uncertain(s, body))
    }
    handling = [s for s in body.having(lx.MITIGATION) if said(s) and says_what_is_done(s.text)]
    mitigated = sorted({s.start: s for s in handling + planned}.values(), key=lambda s: s.start)
    return Risks(
        risks=len(named),
        mitigations=len(mitigated),
        alternatives=sum(1 for s in body.having(lx.ALTERNATIVE) if said(s)),
        section=any(lx.RISK.search(h) for h in headings),
        risk_sentences=tuple(named[start] for start in sorted(named)),
        mitigation_sentences=tuple(mitigated),
    )


class _Said:
    """Whether a sentence says something particular: not a fragment, and two specific words (asked lazily,
    since only sentences with a cue are asked)."""

    def __init__(self, fragments: frozenset[int]) -> None:
        self.fragments, self.known = fragments, {}

    def __call__(self, sentence: Sentence) -> bool:
        if (said := self.known.get(sentence.start)) is None:
            said = sentence.start not in self.fragments and len(specific_words(sentence.text)) >= 2
            self.known[sentence.start] = said
        return said


def _uncertain(sentence: Sentence, body: Body) -> bool:
    return body.has(sentence, lx.RISK_MODAL) or lx.RISK_EVENT.search(sentence.text) is not None


def _handled(
    body: Body,
    named: dict[int, Sentence],
    in_section: tuple[Sentence, ...],
    approval: set[int],
    contingent: set[int],
    said: _Said,
) -> list[Sentence]:
    """Sentences that say what will be done about a named risk: "we will ..." right after it or in a risk
    section, or a contingency ("if ..., we will ..."). "Risks will be identified" says neither who acts nor when."""
    after_risk = {body.sentences[i + 1].start for i, s in enumerate(body.sentences[:-1]) if s.start in named}
    near = ({s.start for s in in_section} | after_risk | set(named)) - approval
    willing = [
        s for s in body.sentences if s.start in near and (body.has(s, lx.COMMITMENT) or lx.FUTURE.search(s.text))
    ]
    found = {s.start: s for s in willing + [s for s in body.having(lx.CONTINGENCY) if s.start in contingent]}
    return [
        s
        for start, s in sorted(found.items())
        if not _faceless(s, body) and not body.has(s, lx.MITIGATION) and said(s) and says_what_is_done(s.text)
    ]


def _faceless(sentence: Sentence, body: Body) -> bool:
    """ "Risks will be identified": a passive with no date says neither who acts nor when."""
    return body.has(sentence, lx.PASSIVE) and lx.DATE.search(sentence.text) is None


def _plan(
    body: Body, headings: list[str], in_section: tuple[Sentence, ...], fragments: frozenset[int], costed: bool
) -> Plan:
    """What will happen after a yes, in any form that says who does what by when: a plan section, "we
    will ...", "If you approve, I will order on 18 March", or a line that opens with its date."""
    # Only sentences about what will happen are the plan; dates and costs in the background are evidence.
    listed = {s.start for s in in_section if s.start not in fragments or len(specific_words(s.text)) >= 2}
    # A forecast for the market ("the market will reach $180 billion by 2027") is no step of ours.
    future = {
        s.start
        for s in body.having(lx.FUTURE) + body.having(lx.ON_APPROVAL)
        if s.start not in fragments and not industry_wide(s.text)
    }
    dated = {s.start for s in body.sentences if lx.DATED_STEP.match(s.text) and not lx.PAST.search(s.text)}
    # "Roles will be defined" names no one and no date: boilerplate, not a step.
    when = {s.start for s in body.having(lx.DATE) + body.having(lx.DEADLINE) + body.having(lx.SCHEDULE)}
    faceless = {s.start for s in body.having(lx.PASSIVE) if s.start not in when}
    plan = body.part(tuple(s for s in body.sentences if s.start in (listed | future | dated) - faceless))
    owners = plan.having(lx.OWNER)
    steps = tuple(s for s in owners if s.start in when)
    timeline = plan.count(lx.TIMELINE) + plan.count(lx.DATE)
    return Plan(
        timeline=timeline,
        owners=len(owners),
        steps=steps,
        scheduled=sum(1 for s in plan.sentences if s.start in when),
        # The ask's amount is what the plan costs, once the plan says who does what by when.
        resources=plan.count(lx.RESOURCE) + plan.count(lx.MONEY) + (2 if costed and steps else 0),
        next_steps=max(plan.count(lx.NEXT_STEP), len(in_section), len(steps)),
        measures=plan.count(lx.SUCCESS_MEASURE),
        section=any(lx.NEXT_STEP.search(h) or lx.TIMELINE.search(h) for h in headings),
        owner_sentence=steps[0] if steps else owners[0] if owners else None,
    )
