"""Show, don't tell: the writer's own sentences that matter for one rubric dimension, each with a
note on what it lacks and how it could read.

The offline chat answers from these, so a writer asking "how do I make the ask clearer?" sees
their ask quoted and a plainer, complete version of it, not the rubric recited. Rewrites are
mechanical and honest about it: hedges and filler are cut, jargon gets its plain word, and what
only the writer knows is left as a [bracketed gap] to fill.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from memo_coach.coaching.offline import lexicon as lx
from memo_coach.coaching.offline.features import MemoFeatures
from memo_coach.coaching.offline.scoring import LONG_SENTENCE_WORDS
from memo_coach.coaching.offline.segments import PLAIN_WORDS
from memo_coach.coaching.offline.text import Sentence

MAX_PASSAGES = 2
_FILLER = re.compile(r"\b(?:really|very|basically|actually|just|quite|clearly|obviously)\s+", re.IGNORECASE)
_SPLIT = re.compile(r",\s+(?:and|but|which|because|so)\s+|;\s+")


@dataclass(frozen=True)
class Passage:
    quote: str  # the writer's sentence, verbatim
    note: str  # what it does or lacks, for this dimension
    could_read: str  # one way it could read; [brackets] mark what only the writer knows


def passages(dimension: str, features: MemoFeatures) -> list[Passage]:
    """Up to two passages of the memo that matter most for one analyzer dimension."""
    return FINDERS[dimension](features)[:MAX_PASSAGES]


def plain(text: str) -> str:
    """The sentence without hedges, rambling starts or filler, with jargon in plain words."""
    text = lx.RAMBLE.sub("", text.strip()).lstrip(" ,")
    text = re.sub(r"^(?:i was thinking|i think|i feel|i believe|we think)\s+(?:that\s+)?", "", text, flags=re.I)
    text = lx.HEDGE.sub("", text)
    text = _FILLER.sub("", text)
    for jargon, word in PLAIN_WORDS.items():
        text = re.sub(rf"\b{re.escape(jargon)}\b", word.split(",")[0], text, flags=re.IGNORECASE)
    text = re.sub(r"\s{2,}", " ", text).replace(" ,", ",").strip(" ,")
    return text[:1].upper() + text[1:] if text else text


def _ending(text: str, addition: str) -> str:
    """Add a clause before the sentence's final full stop."""
    return text.rstrip(".!?… ") + addition + "."


def _ask(f: MemoFeatures) -> list[Passage]:
    a = f.ask
    if a.requests:
        ask = a.requests[0]
        gaps = ("" if a.amount else " for [amount]") + ("" if a.deadline else ", and I need your decision by [date]")
        note = "This is your ask." + (
            " It says how much and by when; make sure it is the first thing the reader sees."
            if not gaps
            else " It is missing "
            + " and ".join(g for g, ok in (("how much", a.amount), ("by when", a.deadline)) if not ok)
            + "."
        )
        return [Passage(ask.text, note, _ending(plain(ask.text), gaps))]
    wish = a.tentative[0] if a.tentative else f.structure.opening
    if wish is None:
        return []
    core = plain(re.split(r",\s|\s(?:because|since|although)\s", wish.text)[0]).rstrip(".!?")
    return [
        Passage(
            wish.text,
            "This is the nearest thing to an ask, but it is a wish: the reader cannot say yes to it.",
            f"{core}: [exactly what], at a cost of [amount]. I need your decision by [date].",
        )
    ]


def _structure(f: MemoFeatures) -> list[Passage]:
    s = f.structure
    if s.opening is None:
        return []
    if s.opening_states_point:
        return [Passage(s.opening.text, "Your opening states the point: keep it first.", plain(s.opening.text))]
    found = [
        Passage(
            s.opening.text, "The memo opens here, before the reader knows what you want.", "Move this after your point."
        )
    ]
    if s.point is not None:
        found.insert(
            0, Passage(s.point.text, "This is your point; it should be the first sentence.", plain(s.point.text))
        )
    else:
        found.append(
            Passage(
                s.opening.text,
                "No sentence states the point yet.",
                "Open with: 'I recommend that we [what you want done], at a cost of [amount], decided by [date].'",
            )
        )
    return found


def _evidence(f: MemoFeatures) -> list[Passage]:
    found = [
        Passage(s.text, "A sweeping claim with nothing behind it.", plain(lx.SWEEPING_CLAIM.sub("[figure]", s.text)))
        for s in f.evidence.unsupported
    ]
    unsourced = [s for s in f.body if lx.NUMBER.search(s.text) and not lx.SOURCE.search(s.text)]
    found += [
        Passage(s.text, "A figure without its source.", _ending(s.text, " ([source], [date])")) for s in unsourced
    ]
    if not found and f.evidence.figure_sentence is None and f.body:
        claim = f.body[0]
        found.append(
            Passage(
                claim.text,
                "No figure backs this.",
                _ending(plain(claim.text), ": [from what to what], ([source], [date])"),
            )
        )
    return found


def _clarity(f: MemoFeatures) -> list[Passage]:
    c = f.clarity
    picked: list[Sentence] = []
    if c.longest is not None and c.longest.words > LONG_SENTENCE_WORDS:
        picked.append(c.longest)
    picked += [s for s in c.hedging + c.jargon if s not in picked]
    return [Passage(s.text, _clarity_note(s), _split(plain(s.text))) for s in picked]


def _clarity_note(s: Sentence) -> str:
    if s.words > LONG_SENTENCE_WORDS:
        return f"At {s.words} words, the reader loses the thread."
    return "Hedges and jargon make the reader work for the meaning."


def _split(text: str) -> str:
    """A long sentence split at its first joint (", and", ", which", ";") into two."""
    if len(text.split()) <= LONG_SENTENCE_WORDS:
        return text
    match = _SPLIT.search(text)
    if match is None:
        return text
    head, tail = text[: match.start()], text[match.end() :]
    return f"{head}. {tail[:1].upper()}{tail[1:]}"


def _risks(f: MemoFeatures) -> list[Passage]:
    r = f.risks
    bare = [s for s in r.risk_sentences if s not in r.mitigation_sentences]
    if bare:
        return [
            Passage(
                s.text,
                "A risk without what you will do about it.",
                s.text + " To limit this, we will [action] ([owner], [date]).",
            )
            for s in bare
        ]
    if r.risk_sentences:
        return [Passage(r.risk_sentences[0].text, "A risk with its handling: good.", plain(r.risk_sentences[0].text))]
    anchor = f.ask.requests[0] if f.ask.requests else (f.body[-1] if f.body else None)
    if anchor is None:
        return []
    return [
        Passage(
            anchor.text,
            "Nothing says what could go wrong; a risk paragraph belongs after this.",
            "The main risk is [what could go wrong]. To limit it, we will [action]. We also considered [alternative], "
            "which [why not].",
        )
    ]


def _plan(f: MemoFeatures) -> list[Passage]:
    p = f.plan
    anchor = p.owner_sentence or (f.body[-1] if f.body else None)
    if anchor is None:
        return []
    return [
        Passage(
            anchor.text,
            "The plan starts here." if p.owner_sentence else "The memo ends here, without a plan.",
            "[Owner] will [first step] by [date]; we will track [measure] and review it on [date].",
        )
    ]


FINDERS: dict[str, Callable[[MemoFeatures], list[Passage]]] = {
    "structure": _structure,
    "evidence": _evidence,
    "clarity": _clarity,
    "ask": _ask,
    "risks": _risks,
    "plan": _plan,
}
