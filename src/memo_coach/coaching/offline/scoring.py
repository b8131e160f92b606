"""Turn measured features into a 1-to-5 judgement per analyzer dimension.

Each judgement carries what the coach saw in this memo (in the writer's own words, quoted, so
they can check it), one piece of praise and one concrete next action, so strengths and
opportunities never need guesswork. Scores are on a fixed 1..5 ladder here; the analyzer maps
them onto the rubric's own scale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from memo_coach.coaching.offline.features import MemoFeatures
from memo_coach.coaching.offline.languages import lexicon as lx
from memo_coach.coaching.offline.text import Sentence
from memo_coach.coaching.offline.topic import COHERENT

LOW, HIGH = 1, 5
# Below this many words there is too little text to earn top marks for organisation or support.
SHORT_MEMO_WORDS = 40
LONG_SENTENCE_WORDS = 25
LONG_PARAGRAPH_WORDS = 120
# Below this many words a memo can be well organised but not a full pyramid of argument.
BRIEF_MEMO_WORDS = 150
QUOTE_WORDS = 12
# Shares of the body's lines that are slogans or label-colon fragments, each a step further from prose.
FRAGMENT_SHARES = (0.25, 0.4, 0.6)


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


def quoted(sentence: Sentence | None, words: int = QUOTE_WORDS) -> str:
    """The start of a sentence in quotes, cut at a word so a justification stays one line."""
    if sentence is None:
        return ""
    parts = sentence.text.split()
    return '"' + " ".join(parts[:words]) + ("…" if len(parts) > words else "") + '"'


def _listed(items, limit: int = 3) -> str:
    """ "a, b and c"; items that hold commas themselves are joined with semicolons."""
    items = list(dict.fromkeys(items))[:limit]
    if not items:
        return ""
    separator = "; " if any("," in item for item in items) else ", "
    return separator.join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]


def _incoherent(f: MemoFeatures) -> bool:
    return f.topic.judged and f.topic.coherence < COHERENT


def _off_topic_note(f: MemoFeatures) -> str:
    share = round((1 - f.topic.coherence) * 100)
    return (
        f" {share}% of the sentences never name what the memo is about, so figures, owners and risks in "
        "them were not counted: a list of cue words is not an argument."
    )


def _fragment_share(f: MemoFeatures) -> float:
    return len(f.clarity.fragments) / len(f.body) if f.body else 0.0


def _supports(f: MemoFeatures) -> int:
    """How many kinds of support stand under the point: measured figures, named risks, a plan with owners."""
    return (f.evidence.figures >= 1) + (f.risks.risks >= 1) + (f.plan.owners >= 1)


def _structure_cap(f: MemoFeatures) -> int:
    cap = min(_short_cap(f), HIGH - 1 if f.words < BRIEF_MEMO_WORDS else HIGH, 2 if _incoherent(f) else HIGH)
    # Headings over slogans, or a point with nothing under it, are a layout, not a pyramid of argument.
    return min(cap, 2 if _fragment_share(f) > FRAGMENT_SHARES[1] else 3 if _supports(f) < 2 else HIGH)


def _unsupported_note(f: MemoFeatures) -> str:
    if _fragment_share(f) > FRAGMENT_SHARES[1]:
        return f" {_fragments_note(f)}"
    if _supports(f) < 2:
        return " Little stands under the point: a pyramid needs at least two of measured figures, named risks and a plan with owners."
    return ""


def judge_structure(f: MemoFeatures) -> Judgement:
    s = f.structure
    # A point stated only in the second half of the memo is buried; the reader may never reach it.
    early = s.point_sentence_index is not None and s.point_sentence_index < len(f.body) / 2
    point = 2 if s.opening_states_point else 1 if early else 0
    organised = s.headings >= 2 or (s.headings >= 1 and s.bullets >= 2)
    sized = s.paragraphs + s.bullets >= 3 and s.longest_paragraph_words <= LONG_PARAGRAPH_WORDS
    score = _clamp(1 + point + organised + sized, _structure_cap(f))
    if s.opening_states_point:
        where = f"You open with the point, {quoted(s.point)}, so the reader knows at once what you want."
    elif s.opening_rambles:
        where = f"The memo opens by thinking aloud, {quoted(s.opening)}, so the reader has to dig for what you want."
    elif s.point is not None:
        where = f"The point, {quoted(s.point)}, only arrives in sentence {s.point_sentence_index + 1} of {len(f.body)}."
    else:
        where = "No sentence states a recommendation or a decision you need, so the reader cannot tell what the memo is for."
    if organised:
        layout = f" The headings ({_listed(s.heading_texts, 4)}) let a skimmer follow the argument."
    elif s.headings:
        layout = f" The one heading ({s.heading_texts[0]}) is not enough to show the argument's parts."
    else:
        layout = f" There are no headings, so a skimmer has only {_plural(s.paragraphs, 'paragraph')} to go on."
    seen = where + layout + (_off_topic_note(f) if _incoherent(f) else "") + _unsupported_note(f)
    if not s.opening_states_point:
        advice = "Open with your recommendation and the decision you need in one sentence (bottom line up front)."
    elif not organised:
        advice = "Give each part of the argument a short heading of its own line (the case, the risks, the plan) so a skimmer sees it."
    elif not sized:
        advice = f"Split the {s.longest_paragraph_words}-word paragraph so each paragraph makes one point."
    else:
        advice = "Make each section open with its own conclusion, so the headings and first lines alone tell the story."
    praise = f"You put the point first ({quoted(s.point, 8)}) and organise the rest under it."
    return Judgement(score, seen, praise, advice)


def judge_evidence(f: MemoFeatures) -> Judgement:
    e = f.evidence
    points = 1 + (e.figures >= 1) + (e.figures >= 3) + (e.sources >= 1) + (e.dates >= 1)
    # The top of the scale is for a case the reader could check: many figures, or more than one source.
    cap = min(_short_cap(f), HIGH if e.figures >= 5 or e.sources >= 2 else HIGH - 1)
    score = _clamp(points - (len(e.unsupported) >= 2), cap)
    if e.figures:
        seen = f"You back the case with {_plural(e.figures, 'figure')}, for example {quoted(e.figure_sentence)}"
        seen += (
            f", and say where they come from ({_listed(e.source_texts)})."
            if e.sources
            else ", but never say where they come from."
        )
    else:
        seen = "There are no figures, so the case rests on your word alone."
    if e.unsupported:
        seen += f" {quoted(e.unsupported[0])} asks the reader to take a sweeping claim on trust."
    if _incoherent(f):
        seen += _off_topic_note(f)
    if e.figures == 0:
        advice = "Back the main claim with numbers: the baseline, the change and the cost."
    elif e.sources == 0:
        advice = "Say where the key figures come from, in a few words: '(finance ledger, March)'."
    elif e.unsupported:
        advice = f"Support or cut the {_plural(len(e.unsupported), 'sweeping claim')}: replace adjectives with figures."
    elif e.dates == 0:
        advice = "Date your figures (as of when?) so the reader knows they are current."
    else:
        advice = "Add a comparison (before and after, option A against B) so the numbers carry meaning."
    cited = f" and named sources ({_listed(e.source_texts, 2)})" if e.sources else ""
    praise = f"Your claims rest on {_plural(e.figures, 'specific figure')}{cited}, not adjectives."
    return Judgement(score, seen, praise, advice)


def _fragments_note(f: MemoFeatures) -> str:
    return (
        f"{len(f.clarity.fragments)} of its {_plural(len(f.body), 'line')} are slogans or label-colon fragments "
        f"such as {quoted(f.clarity.fragments[0], 8)}, which name a topic without saying anything about it."
    )


def judge_clarity(f: MemoFeatures) -> Judgement:
    c = f.clarity
    fragments = _fragment_share(f)
    repeats = c.repeats + f.evidence.restated
    longest = c.longest.words if c.longest else 0
    prose = max(1, sum(1 for s in f.body if s.words >= 3))
    # Rates per 100 words, but never over fewer than 100, so one hedge in a short memo is not a pattern.
    per_100 = 100 / max(f.words, 100)
    vague = len(c.vague_terms)
    penalties = [
        (c.average_sentence_words > 22, "shorten sentences to under 20 words on average"),
        (c.average_sentence_words > 30, "break up the longest sentences"),
        (longest > 35, f"split the {longest}-word sentence"),
        (len(c.passive) / prose > 0.15, "name who acts instead of using the passive voice"),
        (c.hedge_words >= 4 or c.hedge_words * per_100 > 1, "drop the hedges and state your position"),
        (c.hedge_words * per_100 > 3, "say what you believe; almost every sentence hedges"),
        (len(c.jargon_terms) >= 3 or len(c.jargon) * per_100 >= 1, "replace jargon and filler with plain words"),
        (len(c.jargon_terms) >= 6, "write it as you would say it to a colleague; the jargon hides the meaning"),
        (len(c.jargon_terms) >= 10, "say what the jargon means, in the words the reader uses"),
        (vague >= 2 or vague * per_100 > 1, "name the specifics instead of vague words like 'a lot' and 'things'"),
        (fragments > FRAGMENT_SHARES[0], "write full sentences that say what happens, not labels and slogans"),
        (fragments > FRAGMENT_SHARES[1], "turn each label-colon line into a sentence with a subject and a verb"),
        (fragments > FRAGMENT_SHARES[2], "say in sentences what each label stands for"),
        (
            len(f.evidence.unsupported) >= 2 and len(f.evidence.unsupported) * 4 >= prose,
            "say concretely what each claim means",
        ),
        (repeats >= 2, f"cut the {_plural(repeats, 'sentence')} that repeat an earlier claim"),
        (_incoherent(f), "keep every sentence on your subject"),
        (c.reading_ease is not None and c.reading_ease < 30, "use shorter, plainer words"),
    ]
    fixes = [fix for hit, fix in penalties if hit]
    if c.longest is None:
        fixes = ["write the memo in full sentences so there is something to read"]
    # With no sentence of three words or more there is nothing to judge, so no credit either.
    cap = LOW if c.longest is None else 3 if f.words < SHORT_MEMO_WORDS else HIGH
    score = _clamp(HIGH - len(fixes), cap)
    ease = f" (reading ease {c.reading_ease:g})" if c.reading_ease is not None else ""
    seen = f"Sentences average {c.average_sentence_words:g} words{ease}."
    if longest > LONG_SENTENCE_WORDS:
        seen += f" The longest, {quoted(c.longest, 8)}, runs to {longest} words."
    blur = [
        f"hedges ({_listed(_hedges(f))})" if c.hedge_words else "",
        f"jargon ({_listed(c.jargon_terms)})" if c.jargon_terms else "",
        f"vague words ({_listed(c.vague_terms)})" if vague else "",
        _plural(len(c.passive), "passive sentence") if c.passive else "",
    ]
    blur = [b for b in blur if b]
    seen += (
        f" What blurs the meaning: {'; '.join(blur)}." if blur else " Little hedging, jargon or filler gets in the way."
    )
    if fragments > FRAGMENT_SHARES[0]:
        seen += f" {_fragments_note(f)}"
    advice = (
        (fixes[0][0].upper() + fixes[0][1:] + ".")
        if fixes
        else "Read it aloud and cut any sentence the reader would not miss."
    )
    praise = f"It reads easily: sentences average {c.average_sentence_words:g} words and say things plainly."
    return Judgement(score, seen, praise, advice)


def _hedges(f: MemoFeatures) -> list[str]:
    found = {m.group().lower(): m.group() for s in f.clarity.hedging for m in lx.HEDGE.finditer(s.text)}
    return list(found.values())


def judge_ask(f: MemoFeatures) -> Judgement:
    a = f.ask
    # Up front earns credit only for an ask with substance: "we need to do something" first is not a point.
    up_front = a.up_front and a.amount and a.deadline
    # The top of the scale is for an ask that says what hangs on it (or asks again at the close).
    score = (
        _clamp(2 + a.amount + a.deadline + up_front, HIGH if a.stakes else HIGH - 1)
        if a.requests
        else 2
        if a.tentative
        else 1
    )
    ask = a.requests[0] if a.requests else None
    missing = [word for word, ok in (("how much", a.amount), ("by when", a.deadline)) if not ok]
    if ask is not None:
        seen = f"Your ask is {quoted(ask)}"
        seen += f"; it does not say {' or '.join(missing)}." if missing else ", and it says how much and by when."
        seen += " It comes up front." if a.up_front else " It is not in the subject line or the opening."
    elif a.tentative:
        seen = f"{quoted(a.tentative[0])} is a wish rather than an ask: the reader cannot say yes to it."
    else:
        seen = "No sentence asks the reader for a decision, money or action."
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
    praise = f"The reader knows exactly what you want: {quoted(ask, 10)}."
    return Judgement(score, seen, praise, advice)


def judge_risks(f: MemoFeatures) -> Judgement:
    r = f.risks
    points = 1 + (r.risks >= 1) + (r.risks >= 1 and r.mitigations >= 1) + (r.alternatives >= 1)
    points += (r.risks >= 2 and r.mitigations >= 2) or (r.section and r.mitigations >= 1)
    score = _clamp(points)
    if r.risk_sentences:
        seen = f"You name {_plural(r.risks, 'risk')}, such as {quoted(r.risk_sentences[0])}"
        seen += (
            f", and say how you will handle them ({quoted(r.mitigation_sentences[0], 8)})."
            if r.mitigation_sentences
            else ", but not what you will do if it happens."
        )
    else:
        seen = "Nothing says what could go wrong, so the reader has to find the risks alone."
    seen += (
        f" You weigh {_plural(r.alternatives, 'alternative')}, so the reader sees why this option."
        if r.alternatives
        else " No alternative is weighed, not even doing nothing."
    )
    if r.risks == 0:
        advice = "Name the two or three things most likely to go wrong and what each would cost."
    elif r.mitigations == 0:
        advice = "Pair each risk with a mitigation or contingency and who owns it."
    elif r.alternatives == 0:
        advice = "Compare your proposal with at least one alternative, including doing nothing."
    else:
        advice = "Size each risk (likelihood and impact) so the reader can weigh it."
    praise = f"You face the downsides: {_plural(r.risks, 'risk')}, each with what you will do about it."
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
    # Without one step that says when, "the team will ... soon" is an intention, not a plan.
    cap = min(HIGH if full else HIGH - 1, _short_cap(f) + 1, HIGH if p.scheduled else 2)
    score = _clamp(1 + len(present), cap)
    if not present:
        seen = "There is no plan yet: nothing says who will do what, by when."
    else:
        seen = f"The plan covers {_listed(present, 5)}"
        seen += f"; {quoted(p.owner_sentence)} tells the reader who acts." if p.owner_sentence else "."
        if missing:
            seen += f" It does not yet give {_listed(missing, 5)}."
    advice = (
        f"Add the missing parts of the plan: {', '.join(missing)}."
        if missing
        else "Add a checkpoint date to review results and decide whether to continue."
    )
    praise = f"The plan is concrete: it gives {_listed(present, 5)}."
    return Judgement(score, seen, praise, advice)


JUDGES: dict[str, Callable[[MemoFeatures], Judgement]] = {
    "structure": judge_structure,
    "evidence": judge_evidence,
    "clarity": judge_clarity,
    "ask": judge_ask,
    "risks": judge_risks,
    "plan": judge_plan,
}
