"""Offline answers to each kind of question (chat_questions), read from the memo's measured features.

Every answer quotes the writer's own sentences verbatim (a quote that is not in the memo is never
shown), says what they do or lack, and offers "it could read" only for a real rewrite of the quoted
sentence: the same sentence made plain, split or completed with [bracketed gaps]. What the writer
should do is given as advice, labelled so, never dressed up as a rewrite.

The answer is plain text with two marks the chat page renders: a paragraph that starts with "> " is
the writer's quoted words, and one whose lines start with "- " is a list (web/pages/chat_text.py).
"""

from __future__ import annotations

import re

from memo_coach.coaching.chat_phrases import ANY_FIGURE, NOT_YET, figure_kind
from memo_coach.coaching.offline.features import MemoFeatures
from memo_coach.coaching.offline.languages import lexicon as lx
from memo_coach.coaching.offline.rewrites import plain
from memo_coach.coaching.offline.scoring import LONG_SENTENCE_WORDS
from memo_coach.coaching.offline.text import Sentence

MAX_QUOTES = 3  # per answer part: enough to act on, short enough to read in the chat
LONG_MEMO_WORDS = 500  # about one page
SHORT_MEMO_WORDS = 120
MIN_CLAIM_WORDS = 3
_SPLIT = re.compile(r",\s+(?:and|but|which|because|so|y|pero|que|porque|así que)\s+|;\s+")
_SPACES = re.compile(r"\s+")


class Reply:
    """The paragraphs of one answer, in the memo's language (`say` is its row of chat_phrases.PHRASES)."""

    def __init__(self, memo: str, say: dict, language: str) -> None:
        self.memo, self.say, self.language = memo, say, language
        self.blocks: list[str] = []

    def line(self, key: str, **values) -> None:
        self.blocks.append(self.say[key].format(**values))

    def quote(self, sentence: Sentence) -> bool:
        """The writer's sentence, verbatim; skipped (False) if it is not in the memo as written."""
        if sentence.text not in self.memo:
            return False
        self.blocks.append("> " + sentence.text)
        return True

    def rewrite(self, sentence: Sentence, text: str) -> None:
        """How the quoted sentence could read, shown only when it is a different sentence."""
        if _SPACES.sub(" ", text).strip().lower() != _SPACES.sub(" ", sentence.text).strip().lower():
            self.blocks.append(self.say["could_read"].format(text=_SPACES.sub(" ", text).strip()))

    def advice(self, key: str) -> None:
        self.blocks.append(self.say["advice"].format(text=self.say[key]))


def with_gaps(text: str, addition: str) -> str:
    """The sentence with a clause added before its final stop: "... a year, and I need your decision by [date]."."""
    return text.rstrip(".!?… ") + addition + "."


def split_long(text: str) -> str:
    """A long sentence split at its first joint (", and", ", which", ";") into two."""
    match = _SPLIT.search(text) if len(text.split()) > LONG_SENTENCE_WORDS else None
    if match is None:
        return text
    head, tail = text[: match.start()], text[match.end() :]
    return f"{head}. {tail[:1].upper()}{tail[1:]}"


def numbers(f: MemoFeatures, reply: Reply) -> None:
    """The claims with no figure behind them, each with the kind of figure that would back it."""
    claims = unmeasured_claims(f, reply.language)
    if claims:
        reply.line("claims")
        for claim in claims:
            if reply.quote(claim):
                kind = figure_kind(claim.text, reply.language) or ANY_FIGURE[reply.language]
                reply.line("claim_needs", kind=kind)
    # A sentence with a parenthesis or a cue the analyzer did not take for a named source is left alone:
    # telling its writer "no source" when one may be there would be wrong.
    unsourced = [s for s in f.evidence.unsourced if not lx.SOURCE.search(s.text)][:2]
    for sentence in unsourced:
        reply.line("unsourced")
        if reply.quote(sentence):
            reply.rewrite(sentence, with_gaps(sentence.text, reply.say["sourced_gap"]))
    if not claims and not unsourced:
        if f.evidence.figures:
            reply.line("all_backed", figures=f.evidence.figures)
        else:
            reply.line("no_figures")
            reply.advice("no_figures_advice")


def unmeasured_claims(f: MemoFeatures, language: str) -> list[Sentence]:
    """Statements of fact with no number in them: sweeping claims first, then sentences whose words
    name something measurable (costs, time, counts, change). The ask and the plan are not claims."""
    r = f.risks
    not_claims = {
        s.start for s in (*f.ask.requests, *f.ask.tentative, *f.plan.steps, *r.risk_sentences, *r.mitigation_sentences)
    }
    candidates = [
        s
        for s in f.body
        if s.start not in not_claims
        and s.words >= MIN_CLAIM_WORDS
        and not s.text.rstrip().endswith("?")
        and not lx.NUMBER.search(s.text)
        and not NOT_YET[language].search(s.text)
        and not lx.REQUEST.search(s.text)
    ]
    sweeping = [s for s in candidates if s in f.evidence.unsupported]
    measurable = [s for s in candidates if s not in sweeping and figure_kind(s.text, language)]
    return [*sweeping, *measurable][:MAX_QUOTES]


def opening(f: MemoFeatures, reply: Reply) -> None:
    """What the first sentence says, and what it should say."""
    s = f.structure
    if s.opening is None:
        reply.line("nothing")
        return
    if s.opening_states_point:
        reply.line("opening_is_point")
        reply.quote(s.opening)
        _opening_gaps(f, reply)
        return
    reply.line("opening_not_point")
    reply.quote(s.opening)
    if s.opening_rambles:
        reply.line("opening_rambles")
        reply.rewrite(s.opening, split_long(plain(s.opening.text)))
    point = s.point or (f.ask.requests[0] if f.ask.requests else None)
    if point is not None and point != s.opening:
        reply.line("point_later", number=f.body.index(point) + 1 if point in f.body else "?", total=len(f.body))
        reply.quote(point)
        reply.rewrite(point, plain(point.text))
        reply.advice("point_first")
    else:
        reply.line("no_point")
        reply.advice("opening_pattern")


def _opening_gaps(f: MemoFeatures, reply: Reply) -> None:
    opening_sentence = f.structure.opening
    if opening_sentence not in f.ask.requests:
        reply.line("opening_keep")
        return
    missing = _ask_missing(f, reply)
    if missing:
        reply.line("opening_lacks", missing=missing)
        reply.rewrite(opening_sentence, _completed_ask(f, opening_sentence, reply))
    else:
        reply.line("opening_keep")


def structure(f: MemoFeatures, reply: Reply) -> None:
    """The opening, then whether headings show the argument's parts."""
    opening(f, reply)
    if f.structure.headings < 2 and f.words >= SHORT_MEMO_WORDS:
        reply.advice("headings_advice")


def _ask_missing(f: MemoFeatures, reply: Reply) -> str:
    """ "how much or by when", or the one the ask lacks; empty when it says both."""
    missing = [reply.say[key] for key, ok in (("how_much", f.ask.amount), ("by_when", f.ask.deadline)) if not ok]
    return f" {reply.say['or']} ".join(missing)


def _completed_ask(f: MemoFeatures, sentence: Sentence, reply: Reply) -> str:
    gaps = ("" if f.ask.amount else reply.say["amount_gap"]) + ("" if f.ask.deadline else reply.say["deadline_gap"])
    return with_gaps(plain(sentence.text), gaps) if gaps else plain(sentence.text)


def ask(f: MemoFeatures, reply: Reply) -> None:
    """Whether the ask is clear: how much, by when, where it stands."""
    a = f.ask
    if a.requests:
        request = a.requests[0]
        reply.line("ask_is")
        reply.quote(request)
        missing = _ask_missing(f, reply)
        if missing:
            reply.line("ask_lacks", missing=missing)
        else:
            reply.line("ask_clear")
        reply.rewrite(request, _completed_ask(f, request, reply))
        if not a.up_front:
            reply.advice("ask_late")
        elif not a.stakes:
            reply.advice("ask_stakes")
        return
    # A wish ("maybe we should...") or a bare label ("Ask: approve the budget.") is the nearest thing to an ask.
    wish = a.tentative[0] if a.tentative else next((s for s in f.body if lx.REQUEST.search(s.text)), None)
    if wish is not None:
        reply.line("ask_wish")
        reply.quote(wish)
        core = re.split(r",\s|\s(?:because|since|although|porque|ya que|aunque)\s", lx.LABEL.sub("", wish.text))[0]
        reply.rewrite(wish, plain(core).rstrip(".!?") + reply.say["wish_gaps"])
        return
    reply.line("no_ask")
    reply.advice("ask_pattern")


def risks(f: MemoFeatures, reply: Reply) -> None:
    """Each named risk, with its handling when the memo gives one."""
    r = f.risks
    handled = {s.start for s in r.mitigation_sentences}
    for risk in r.risk_sentences[:2]:
        handling = _handling(f, risk)
        if risk.start in handled or handling is not None:
            reply.line("risk_handled")
            reply.quote(risk)
            if handling is not None:
                reply.line("handled_by")
                reply.quote(handling)
        else:
            reply.line("risk_bare")
            if reply.quote(risk):
                reply.rewrite(risk, with_gaps(risk.text, "." + reply.say["risk_gap"].rstrip(".")))
    if not r.risk_sentences:
        reply.line("no_risk")
        reply.advice("risk_pattern")
    if not r.alternatives:
        reply.advice("no_alternative")


def _handling(f: MemoFeatures, risk: Sentence) -> Sentence | None:
    """The mitigation that follows the risk (the next sentence), if the memo gives one there."""
    after = [s for s in f.risks.mitigation_sentences if s.start > risk.start and s is not risk]
    if not after or risk not in f.body:
        return None
    following = f.body.index(risk) + 1
    return after[0] if following < len(f.body) and f.body[following] == after[0] else None


def plan(f: MemoFeatures, reply: Reply) -> None:
    """The steps after a yes: who does what by when, quoted when the memo has them."""
    p = f.plan
    if p.steps:
        reply.line("plan_steps")
        for step in p.steps[:MAX_QUOTES]:
            reply.quote(step)
        if not p.measures:
            reply.advice("plan_measure")
        return
    if p.owner_sentence is not None:
        reply.line("plan_owner")
        reply.quote(p.owner_sentence)
        reply.advice("plan_who_when")
        return
    future = [
        s for s in f.body if (lx.FUTURE.search(s.text) or lx.ON_APPROVAL.search(s.text)) and s not in f.ask.requests
    ]
    if future:
        reply.line("plan_vague")
        for sentence in future[:2]:
            reply.quote(sentence)
        reply.advice("plan_who_when")
        return
    reply.line("no_plan")
    reply.advice("plan_pattern")


def length(f: MemoFeatures, reply: Reply) -> None:
    """The memo's length against one page, and what could go."""
    c = f.clarity
    reply.line("length", words=f.words, sentences=len(f.body), average=c.average_sentence_words)
    if f.words > LONG_MEMO_WORDS:
        reply.line("too_long", limit=LONG_MEMO_WORDS)
    elif f.words < SHORT_MEMO_WORDS:
        reply.line("too_short")
        _missing_parts(f, reply)
    else:
        reply.line("length_fine")
    if c.repeats:
        reply.line("repeats", count=c.repeats)
    _long_and_hedged(f, reply)


def _missing_parts(f: MemoFeatures, reply: Reply) -> None:
    parts = [
        reply.say[key]
        for key, present in (
            ("part_figure", f.evidence.figures),
            ("part_risk", f.risks.risks),
            ("part_plan", f.plan.steps or f.plan.owners or f.plan.next_steps),
        )
        if not present
    ]
    if parts:
        listed = ", ".join(parts[:-1]) + f" {reply.say['or']} " + parts[-1] if len(parts) > 1 else parts[0]
        reply.line("missing_parts", parts=listed)


def _long_and_hedged(f: MemoFeatures, reply: Reply) -> bool:
    """The longest sentence split, and a hedged one made plain; whether either was shown."""
    c, shown = f.clarity, False
    if c.longest is not None and c.longest.words > LONG_SENTENCE_WORDS:
        reply.line("longest", words=c.longest.words)
        shown = reply.quote(c.longest)
        reply.rewrite(c.longest, split_long(plain(c.longest.text)))
    hedged = next((s for s in c.hedging if s != c.longest), None)
    if hedged is not None:
        reply.line("hedged")
        shown = reply.quote(hedged) or shown
        reply.rewrite(hedged, plain(hedged.text))
    return shown


def clarity(f: MemoFeatures, reply: Reply) -> None:
    """Long, hedged, jargon-laden and faceless sentences, each made plain."""
    c = f.clarity
    shown = _long_and_hedged(f, reply)
    jargon = next((s for s in c.jargon if s not in (c.longest, *c.hedging)), None)
    if jargon is not None:
        reply.line("jargon", terms=", ".join(c.jargon_terms[:3]))
        shown = reply.quote(jargon) or shown
        reply.rewrite(jargon, plain(jargon.text))
    passive = next((s for s in c.passive if s not in (c.longest, jargon, *c.hedging)), None)
    if passive is not None:
        reply.line("passive")
        shown = reply.quote(passive) or shown
        reply.advice("passive_advice")
    if not shown:
        reply.line("clear_enough", average=c.average_sentence_words)


ANSWERS = {
    "numbers": numbers,
    "opening": opening,
    "structure": structure,
    "ask": ask,
    "risks": risks,
    "plan": plan,
    "length": length,
    "clarity": clarity,
}
