"""Turn measured features into a 1-to-5 judgement per analyzer dimension.

Each judgement carries what was seen (named features, so a writer can check it), one piece of
praise and one concrete next action, so strengths and opportunities never need guesswork.
Scores are on a fixed 1..5 ladder here; the analyzer maps them onto the rubric's own scale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from memo_coach.coaching.offline.features import MemoFeatures

LOW, HIGH = 1, 5
# Below this many words there is too little text to earn top marks for organisation or support.
SHORT_MEMO_WORDS = 40
LONG_SENTENCE_WORDS = 25
LONG_PARAGRAPH_WORDS = 120


@dataclass(frozen=True)
class Judgement:
    score: int
    seen: str
    praise: str
    advice: str


def judge(dimension: str, features: MemoFeatures) -> Judgement:
    """The judgement for one analyzer dimension (see rubric.ANALYZER_DIMENSIONS)."""
    return JUDGES[dimension](features)


def _clamp(points: int, cap: int = HIGH) -> int:
    return max(LOW, min(points, cap))


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _short_cap(features: MemoFeatures) -> int:
    return 2 if features.words < SHORT_MEMO_WORDS else HIGH


def judge_structure(f: MemoFeatures) -> Judgement:
    s = f.structure
    # A point stated only in the second half of the memo is buried; the reader may never reach it.
    early = s.point_sentence_index is not None and s.point_sentence_index < len(f.body) / 2
    point = 2 if s.opening_states_point else 1 if early else 0
    organised = s.headings >= 2 or (s.headings >= 1 and s.bullets >= 2)
    sized = s.paragraphs + s.bullets >= 3 and s.longest_paragraph_words <= LONG_PARAGRAPH_WORDS
    score = _clamp(1 + point + organised + sized, _short_cap(f))
    if s.opening_states_point:
        where = "the opening states the point"
    elif s.point_sentence_index is not None:
        where = f"the point first appears in sentence {s.point_sentence_index + 1} of {len(f.body)}"
    else:
        where = "no recommendation or request stated"
    seen = (
        f"{where}; {_plural(s.headings, 'heading')}, {_plural(s.paragraphs, 'paragraph')}, "
        f"{_plural(s.bullets, 'bullet item')}, longest paragraph {s.longest_paragraph_words} words; "
        f"subject line {'present' if s.has_subject else 'missing'}"
    )
    if not s.opening_states_point:
        advice = "Open with your recommendation and the decision you need in one sentence (bottom line up front)."
    elif not organised:
        advice = "Add short headings (Recommendation, Background, Risks, Next steps) so a skimmer sees the argument."
    elif not sized:
        advice = f"Split the {s.longest_paragraph_words}-word paragraph so each paragraph makes one point."
    else:
        advice = "Make each section open with its own conclusion so the headings and first lines tell the story."
    layout = _plural(s.headings, "heading") if s.headings else _plural(s.paragraphs, "focused paragraph")
    praise = f"Organised for a busy reader: {where}, with {layout}."
    return Judgement(score, seen, praise, advice)


def judge_evidence(f: MemoFeatures) -> Judgement:
    e = f.evidence
    points = 1 + (e.figures >= 1) + (e.figures >= 3) + (e.sources >= 1) + (e.dates >= 1)
    score = _clamp(points - (len(e.unsupported) >= 2), _short_cap(f))
    seen = (
        f"{_plural(e.figures, 'figure')} ({_plural(e.percentages, 'percentage')}, "
        f"{_plural(e.money, 'money amount')}), {_plural(e.dates, 'date')} and {_plural(e.sources, 'cited source')}; "
        f"{_plural(len(e.unsupported), 'sweeping claim')} without a figure or source"
    )
    if e.figures == 0:
        advice = "Back the main claim with numbers: the baseline, the change and the cost."
    elif e.sources == 0:
        advice = "Name where the key figures come from (report, system, date) so a reader can check them."
    elif e.unsupported:
        advice = f"Support or cut the {_plural(len(e.unsupported), 'sweeping claim')}: replace adjectives with figures."
    elif e.dates == 0:
        advice = "Date your figures (as of when?) so the reader knows they are current."
    else:
        advice = "Add a comparison (before/after, option A vs B, benchmark) so the numbers carry meaning."
    cited = f" and {_plural(e.sources, 'cited source')}" if e.sources else ""
    praise = f"Claims are backed by {_plural(e.figures, 'specific figure')}{cited}."
    return Judgement(score, seen, praise, advice)


def judge_clarity(f: MemoFeatures) -> Judgement:
    c = f.clarity
    longest = c.longest.words if c.longest else 0
    prose = max(1, sum(1 for s in f.body if s.words >= 3))
    # Rates per 100 words, but never over fewer than 100, so one hedge in a short memo is not a pattern.
    per_100 = 100 / max(f.words, 100)
    penalties = [
        (c.average_sentence_words > 22, "shorten sentences to under 20 words on average"),
        (c.average_sentence_words > 30, "break up the longest sentences"),
        (longest > 35, f"split the {longest}-word sentence"),
        (len(c.passive) / prose > 0.15, "name who acts instead of using the passive voice"),
        (c.hedge_words >= 4 or c.hedge_words * per_100 > 1, "drop the hedges and state your position"),
        (len(c.jargon_terms) >= 3 or len(c.jargon) * per_100 > 1, "replace jargon and filler with plain words"),
        (c.reading_ease is not None and c.reading_ease < 30, "use shorter, plainer words"),
    ]
    fixes = [fix for hit, fix in penalties if hit]
    if c.longest is None:
        fixes = ["write the memo in full sentences so there is something to read"]
    # With no sentence of three words or more there is nothing to judge, so no credit either.
    cap = LOW if c.longest is None else 3 if f.words < SHORT_MEMO_WORDS else HIGH
    score = _clamp(HIGH - len(fixes), cap)
    ease = (
        f"reading ease {c.reading_ease:g}"
        if c.reading_ease is not None
        else "reading ease not measured (too short or not English)"
    )
    terms = f" ({', '.join(repr(t) for t in c.jargon_terms[:3])})" if c.jargon_terms else ""
    seen = (
        f"{ease}; average sentence {c.average_sentence_words:g} words, longest {longest}; "
        f"{_plural(len(c.passive), 'passive sentence')}, {_plural(c.hedge_words, 'hedge word')}, "
        f"{_plural(len(c.jargon_terms), 'jargon term')}{terms}"
    )
    advice = (
        (fixes[0][0].upper() + fixes[0][1:] + ".")
        if fixes
        else "Read it aloud and cut any sentence the reader would not miss."
    )
    praise = f"Easy to read: sentences average {c.average_sentence_words:g} words with little hedging or jargon."
    return Judgement(score, seen, praise, advice)


def judge_ask(f: MemoFeatures) -> Judgement:
    a = f.ask
    score = 1 if not a.requests else _clamp(2 + a.amount + a.deadline + a.up_front)
    parts = [
        _plural(len(a.requests), "request or recommendation sentence"),
        f"amount {'stated' if a.amount else 'missing'}",
        f"deadline {'stated' if a.deadline else 'missing'}",
        "ask up front" if a.up_front else "ask not in the subject or opening",
    ]
    if not a.requests:
        advice = "State the decision you want in one sentence: 'I request approval of X for Y by Z.'"
    elif not a.amount:
        advice = "Quantify the ask: how much money, how many people or how much time."
    elif not a.deadline:
        advice = "Give a decision date and say what happens if the decision comes later."
    elif not a.up_front:
        advice = "Move the ask into the subject line or first sentence, then repeat it at the close."
    else:
        advice = "Say what happens if the answer is no or late, so the reader sees the cost of waiting."
    praise = "The ask is explicit" + (", quantified" if a.amount else "") + (" and dated" if a.deadline else "") + "."
    return Judgement(score, "; ".join(parts), praise, advice)


def judge_risks(f: MemoFeatures) -> Judgement:
    r = f.risks
    points = 1 + (r.risks >= 1) + (r.risks >= 1 and r.mitigations >= 1) + (r.alternatives >= 1)
    points += (r.risks >= 2 and r.mitigations >= 2) or (r.section and r.mitigations >= 1)
    score = _clamp(points)
    seen = (
        f"{_plural(r.risks, 'risk mention')}, {_plural(r.mitigations, 'mitigation')}, "
        f"{_plural(r.alternatives, 'alternative')} considered; risk section {'present' if r.section else 'absent'}"
    )
    if r.risks == 0:
        advice = "Name the two or three things most likely to go wrong and what each would cost."
    elif r.mitigations == 0:
        advice = "Pair each risk with a mitigation or contingency and who owns it."
    elif r.alternatives == 0:
        advice = "Compare your proposal with at least one alternative, including doing nothing."
    else:
        advice = "Size each risk (likelihood and impact) so the reader can weigh it."
    praise = (
        f"Downsides are on the table: {_plural(r.risks, 'risk mention')} with {_plural(r.mitigations, 'mitigation')}."
    )
    return Judgement(score, seen, praise, advice)


def judge_plan(f: MemoFeatures) -> Judgement:
    p = f.plan
    parts = {"timeline": p.timeline, "owners": p.owners, "resources": p.resources, "next steps": p.next_steps}
    parts["success measures"] = p.measures
    # One stray "day" or "tools" is not a plan; owners and success measures are rarer and count once.
    needed = {"timeline": 2, "owners": 1, "resources": 2, "next steps": 2, "success measures": 1}
    present = [name for name, count in parts.items() if count >= needed[name]]
    missing = [name for name in parts if name not in present]
    full = len(present) == len(parts) or (len(present) >= 4 and p.section)
    score = _clamp(1 + len(present), min(HIGH if full else HIGH - 1, _short_cap(f) + 1))
    seen = (
        "plan cues: "
        + ", ".join(f"{name} {count}" for name, count in parts.items())
        + ("; next-steps section present" if p.section else "; no next-steps section")
    )
    advice = (
        f"Add the missing parts of the plan: {', '.join(missing)}."
        if missing
        else "Add a checkpoint date to review results and decide whether to continue."
    )
    praise = f"The plan is concrete: {', '.join(present) or 'some steps'} are covered."
    return Judgement(score, seen, praise, advice)


JUDGES: dict[str, Callable[[MemoFeatures], Judgement]] = {
    "structure": judge_structure,
    "evidence": judge_evidence,
    "clarity": judge_clarity,
    "ask": judge_ask,
    "risks": judge_risks,
    "plan": judge_plan,
}
