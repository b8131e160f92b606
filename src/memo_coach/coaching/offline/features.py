"""Measurable features of a memo, one group per analyzer dimension.

These are the facts the offline coach reasons from; scores and feedback are computed from
them alone, so the same memo always gets the same feedback and every judgement can name
what it saw.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from memo_coach.coaching.offline import lexicon as lx
from memo_coach.coaching.offline.readability import reading_ease
from memo_coach.coaching.offline.text import Block, Sentence, blocks, sentences

BODY_KINDS = ("paragraph", "bullet")
# The opening: how many body sentences a reader sees before deciding whether to read on.
OPENING_SENTENCES = 2


@dataclass(frozen=True)
class Structure:
    headings: int
    has_subject: bool
    paragraphs: int
    bullets: int
    longest_paragraph_words: int
    opening: Sentence | None
    opening_states_point: bool
    point_sentence_index: int | None  # body sentence where the point first appears


@dataclass(frozen=True)
class Evidence:
    figures: int
    percentages: int
    money: int
    dates: int
    sources: int
    unsupported: tuple[Sentence, ...]  # sweeping claims with no figure or source in the sentence


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


@dataclass(frozen=True)
class Ask:
    requests: tuple[Sentence, ...]
    amount: bool
    deadline: bool
    up_front: bool


@dataclass(frozen=True)
class Risks:
    risks: int  # sentences naming a risk
    mitigations: int
    alternatives: int
    section: bool
    risk_sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Plan:
    timeline: int
    owners: int
    resources: int
    next_steps: int
    measures: int
    section: bool


@dataclass(frozen=True)
class MemoFeatures:
    words: int
    sentences: tuple[Sentence, ...]
    body: tuple[Sentence, ...]
    structure: Structure
    evidence: Evidence
    clarity: Clarity
    ask: Ask
    risks: Risks
    plan: Plan


def extract_features(memo: str) -> MemoFeatures:
    """Measure everything the scorers need in one pass over the memo's blocks and sentences."""
    memo_blocks = blocks(memo)
    all_sentences = tuple(sentences(memo, memo_blocks))
    body = tuple(s for s in all_sentences if s.kind in BODY_KINDS)
    headings = [s.text for s in all_sentences if s.kind == "heading"]
    subject = next(
        (s for s in all_sentences if s.kind == "field" and s.text.lower().startswith(("subject", "re"))), None
    )
    return MemoFeatures(
        words=sum(s.words for s in all_sentences),
        sentences=all_sentences,
        body=body,
        structure=_structure(memo_blocks, body, subject),
        evidence=_evidence(body),
        clarity=_clarity(body),
        ask=_ask(body, subject),
        risks=_risks(body, headings, _under(all_sentences, lx.RISK)),
        plan=_plan(body, headings, _under(all_sentences, lx.NEXT_STEP)),
    )


def _under(all_sentences: tuple[Sentence, ...], heading: re.Pattern[str]) -> tuple[Sentence, ...]:
    """Body sentences in sections whose heading matches: under "Risks", every line is about risk."""
    inside, found = False, []
    for sentence in all_sentences:
        if sentence.kind == "heading":
            inside = heading.search(sentence.text) is not None
        elif inside and sentence.kind in BODY_KINDS:
            found.append(sentence)
    return tuple(found)


def _count(pattern: re.Pattern[str], texts: Iterable[str]) -> int:
    return sum(len(pattern.findall(t)) for t in texts)


def _with(pattern: re.Pattern[str], body: tuple[Sentence, ...]) -> tuple[Sentence, ...]:
    return tuple(s for s in body if pattern.search(s.text))


def _structure(memo_blocks: list[Block], body: tuple[Sentence, ...], subject: Sentence | None) -> Structure:
    paragraphs = [b for b in memo_blocks if b.kind == "paragraph"]
    point_at = next((i for i, s in enumerate(body) if lx.BOTTOM_LINE.search(s.text)), None)
    early_heading = any(b.kind == "heading" and lx.SUMMARY_HEADING.search(b.text) for b in memo_blocks[:4])
    subject_states_point = subject is not None and lx.BOTTOM_LINE.search(subject.text) is not None
    opening_point = point_at is not None and point_at < OPENING_SENTENCES
    return Structure(
        headings=sum(1 for b in memo_blocks if b.kind == "heading"),
        has_subject=subject is not None,
        paragraphs=len(paragraphs),
        bullets=sum(1 for b in memo_blocks if b.kind == "bullet"),
        longest_paragraph_words=max((len(b.text.split()) for b in paragraphs), default=0),
        opening=body[0] if body else None,
        opening_states_point=bool(body)
        and (opening_point or (early_heading and point_at is not None) or subject_states_point),
        point_sentence_index=point_at,
    )


def _evidence(body: tuple[Sentence, ...]) -> Evidence:
    texts = [s.text for s in body]
    years = _count(lx.YEAR, texts)
    unsupported = tuple(
        s
        for s in body
        if lx.SWEEPING_CLAIM.search(s.text) and not lx.NUMBER.search(s.text) and not lx.SOURCE.search(s.text)
    )
    return Evidence(
        figures=max(0, _count(lx.NUMBER, texts) - years),
        percentages=_count(lx.PERCENT, texts),
        money=_count(lx.MONEY, texts),
        dates=_count(lx.DATE, texts),
        sources=_count(lx.SOURCE, texts),
        unsupported=unsupported,
    )


def _clarity(body: tuple[Sentence, ...]) -> Clarity:
    prose = [s for s in body if s.words >= 3]
    passive = tuple(s for s in prose if lx.PASSIVE.search(s.text) and not lx.NOT_PASSIVE.search(s.text))
    jargon_terms = [m.group().lower() for s in body for m in lx.JARGON.finditer(s.text)]
    return Clarity(
        reading_ease=reading_ease(" ".join(s.text for s in prose)),
        average_sentence_words=round(sum(s.words for s in prose) / len(prose), 1) if prose else 0.0,
        longest=max(prose, key=lambda s: s.words, default=None),
        passive=passive,
        hedging=_with(lx.HEDGE, body),
        hedge_words=_count(lx.HEDGE, [s.text for s in body]),
        jargon=_with(lx.JARGON, body),
        jargon_terms=tuple(dict.fromkeys(jargon_terms)),
    )


def _ask(body: tuple[Sentence, ...], subject: Sentence | None) -> Ask:
    requests = _with(lx.REQUEST, body)
    in_subject = subject is not None and lx.REQUEST.search(subject.text) is not None
    opening = body[:OPENING_SENTENCES]
    return Ask(
        requests=requests,
        amount=any(lx.NUMBER.search(s.text) or lx.MONEY.search(s.text) for s in requests),
        deadline=any(lx.DEADLINE.search(s.text) for s in body),
        up_front=bool(requests) and (in_subject or any(s in requests for s in opening)),
    )


def _risks(body: tuple[Sentence, ...], headings: list[str], in_section: tuple[Sentence, ...]) -> Risks:
    texts = [s.text for s in body]
    named = _with(lx.RISK, body)
    # In a risk section, a sentence that says what "we will" do is a mitigation even without the word.
    planned = [s for s in in_section if lx.COMMITMENT.search(s.text) and not lx.MITIGATION.search(s.text)]
    risk_sentences = tuple(sorted(set(named) | {s for s in in_section if s not in planned}, key=lambda s: s.start))
    return Risks(
        risks=len(risk_sentences),
        mitigations=_count(lx.MITIGATION, texts) + len(planned),
        alternatives=_count(lx.ALTERNATIVE, texts),
        section=any(lx.RISK.search(h) for h in headings),
        risk_sentences=risk_sentences,
    )


def _plan(body: tuple[Sentence, ...], headings: list[str], in_section: tuple[Sentence, ...]) -> Plan:
    texts = [s.text for s in body]
    return Plan(
        timeline=_count(lx.TIMELINE, texts) + _count(lx.DATE, texts),
        owners=_count(lx.OWNER, texts),
        resources=_count(lx.RESOURCE, texts) + _count(lx.MONEY, texts),
        next_steps=max(_count(lx.NEXT_STEP, texts), len(in_section)),
        measures=_count(lx.SUCCESS_MEASURE, texts),
        section=any(lx.NEXT_STEP.search(h) or lx.TIMELINE.search(h) for h in headings),
    )
