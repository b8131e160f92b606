"""The words and patterns a memo coach listens for, one compiled pattern per signal.

Kept apart from the counting code so a coach can tune the vocabulary without touching logic.
All patterns are case-insensitive and match whole words. None may match across a NUL: the analyzer
joins a memo's sentences with it and scans once (features.Body).
"""

from __future__ import annotations

import re

# Every single word the patterns below listen for. A sentence made only of these says nothing
# about the memo's own subject, which is how keyword stuffing is told from an argument.
CUE_WORDS: set[str] = set()
# The first words of each `_words` pattern's phrases. A match can start only where a run of word
# characters equal to one of them starts, so the analyzer tries the pattern there instead of at every
# character (features.Body). A pattern with a phrase whose first word is not such a run has no entry.
FIRST_WORDS: dict[re.Pattern[str], frozenset[str]] = {}
WORD_RUN = re.compile(r"[\w-]+")


def _words(phrases: str) -> re.Pattern[str]:
    """A pattern matching any of the comma-separated phrases as whole words, longest match first.

    The phrases are compiled as a trie, not a flat alternation: Python's regex engine would
    otherwise try every phrase at every word, which made the analyzer several times slower.
    """
    trie: dict[str, dict] = {}
    for phrase in phrases.split(","):
        if len(phrase.split()) > 6:
            raise ValueError(f"phrase {' '.join(phrase.split())!r} is too long: a missing comma?")
        node = trie
        if len(phrase.split()) == 1:
            CUE_WORDS.add(phrase.strip().lower())
        for char in " ".join(phrase.lower().split()):
            node = node.setdefault(char, {})
        if node is not trie:
            node[""] = {}
    pattern = re.compile(r"(?<![\w-])" + _trie_pattern(trie) + r"(?![\w-])", re.IGNORECASE)
    firsts = {phrase.lower().split()[0] for phrase in phrases.split(",") if phrase.strip()}
    if all(WORD_RUN.fullmatch(word) for word in firsts):
        FIRST_WORDS[pattern] = frozenset(firsts)
    return pattern


def _trie_pattern(node: dict[str, dict]) -> str:
    # A space between words matches any run of whitespace, so a phrase wrapped across lines counts.
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    group = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
    return group + "?" if "" in node else group


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)

# Evidence. MONEY and DATE open with a look-ahead for the characters a match can start with: it changes
# no match, but turns most positions away before the alternatives are tried one by one, which made these
# two of the costliest scans (a test checks each look-ahead against its pattern without it).
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
YEAR = re.compile(r"(?<![\w.,$€£])(?:19|20)\d{2}(?!\w|[.,]\d)")
PERCENT = re.compile(r"\d+(?:\.\d+)?\s?(?:%|percent\b|per cent\b|pp\b|percentage points?\b)", re.IGNORECASE)
MONEY = re.compile(
    r"(?=[$€£¥ueg\d])(?:(?:[$€£¥]|\b(?:usd|eur|gbp)\s?)\d[\d,.]*(?:\s?(?:k|m|bn|million|billion|thousand)\b)?"
    r"|\b\d[\d,.]*\s?(?:k|m|bn|million|billion|thousand)?\s?(?:usd|eur|gbp|dollars|euros|pounds)\b)",
    re.IGNORECASE,
)
DATE = re.compile(
    r"\b(?=[\dabdefhjmnoqstw])(?:" + _MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r"\b(?:\s+\d{4})?"
    r"|" + _MONTH + r"\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}"
    r"|q[1-4]\s?(?:fy)?\s?'?\d{2,4}|q[1-4]|fy\s?'?\d{2,4}|h[12]\s+\d{4}"
    r"|(?:19|20)\d{2}"
    r"|(?:monday|tuesday|wednesday|thursday|friday)"
    r"|(?:end|beginning|start|middle) of (?:the )?(?:week|month|quarter|year|" + _MONTH + r"))\b",
    re.IGNORECASE,
)
_SOURCE_NOUN = (
    r"(?:reports?|surveys?|stud(?:y|ies)|audits?|benchmarks?|dashboards?|analysis|analytics|invoices?|ledgers?"
    r"|census|records|logs?|data|bills|statements?|quotes?|letters?|calendar|case stud(?:y|ies)|comparison"
    r"|pages|offer|database|exports?|minutes|interviews|gartner|forrester|mckinsey)"
)
# A named source: "according to", "source:", a source noun, or a parenthesis that names one or
# dates the figure ("(scheduling reports, Q1-Q4)"). It counts only beside a figure (features.py).
SOURCE = re.compile(
    r"\b(?:according to|source[sd]?\s*:|source[sd]? from\b|per (?:the|our)\b|data from\b|based on (?:the|our)\b)"
    r"|\b" + _SOURCE_NOUN + r"\b"
    r"|\((?=[^()\x00]*\b(?:" + _SOURCE_NOUN + "|" + _MONTH + r"|q[1-4]|(?:19|20)\d{2})\b)[^()\x00]{3,80}\)"
    r"|https?://[^\s\x00]+|\[\d+\]",
    re.IGNORECASE,
)
SWEEPING_CLAIM = _words(
    """
    significant, significantly, huge, massive, dramatically, drastically, substantially, greatly,
    clearly, obviously, everyone, everybody, always, never, best, worst, much better, far better, a lot,
    lots of, tremendous, enormous, critical, vastly, skyrocketing, countless, many customers, all
    customers, nobody, game-changer, game changer
    """
)

# Vague words stand in for the fact the reader needs ("a lot of changes", "at some point").
VAGUE = _words(
    """
    a lot, lots, things, stuff, something, or something, various, some point, at some point, in due course,
    for a while, for a long time, it is hard to say, hard to say, all the time, somehow, whatever, etc,
    and so on, some of this, that sort of thing, some kind of, more details, be mindful
    """
)
# An opening that thinks aloud instead of stating the point.
RAMBLE = re.compile(
    r"^(?:so|well|anyway|basically|as (?:many|most|some) of you (?:know|may know)|i was (?:just )?thinking"
    r"|i have been thinking|just (?:a thought|wanted)|it has been a while|we want to remind)\b",
    re.IGNORECASE,
)

# Clarity
PASSIVE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?"
    r"(?:\w{2,}ed|made|done|given|taken|seen|known|shown|written|paid|sent|built|brought|bought|held|kept|"
    r"left|lost|met|put|run|set|told|understood|won|chosen|spent|begun|broken|driven|found|gone)\b",
    re.IGNORECASE,
)
NOT_PASSIVE = _words(
    """
    is need, is based, are interested, is concerned, is supposed, are supposed, is used to
    """
)
HEDGE = _words(
    """
    might, maybe, perhaps, possibly, potentially, somewhat, arguably, i think, we think, i believe, we
    believe, i feel, we feel, it seems, seems, seem, appears to, it appears, sort of, kind of,
    hopefully, probably, fairly, rather, quite, a bit, could be, may be, in some ways, to some extent,
    it is possible, not sure, more or less
    """
)
JARGON = _words(
    """
    synergy, synergies, leverage, leveraging, paradigm, circle back, move the needle, best-in-class,
    world-class, going forward, at the end of the day, in order to, basically, low-hanging fruit,
    bandwidth, deep dive, holistic, value-add, touch base, utilize, utilise, utilization, actionable
    insights, core competency, empower, ecosystem, next-generation, robust, seamless, seamlessly,
    mission-critical, in terms of, due to the fact that, at this point in time, it should be noted,
    needless to say, very, really, actually, cutting-edge, think outside the box, boil the ocean, pivot,
    alignment, stakeholder buy-in, optimize, optimise, operationalize, ideate, learnings
    """
)

# The ask
REQUEST = _words(
    """
    request, requesting, we request, i request, approve, approval, recommend, recommending,
    recommendation, propose, proposing, ask, asking, seek, seeking, authorize, authorise, authorization,
    sign off, sign-off, decide, decision, we need you, i need you, please confirm, please approve, green
    light, fund, funding, allocate, we should, would be appreciated, it would be great if, we need,
    we would like, i would like, could we, can we, let me know if we can
    """
)
DEADLINE = re.compile(
    r"\b(?:by|before|no later than|until|deadline|due)\b\s+(?:the\s+)?(?:end of\s+)?"
    r"(?:\w+\s+)?(?:\d|" + _MONTH + r"|monday|tuesday|wednesday|thursday|friday|q[1-4]|next|this|tomorrow|eod|cob)"
    r"|\bdeadline\b",
    re.IGNORECASE,
)

# Risks
RISK = _words(
    """
    risk, risks, risky, downside, downsides, concern, concerns, threat, exposure, dependency,
    dependencies, could delay, could fail, may fail, if it fails, worst case, uncertainty, uncertain,
    trade-off, trade-offs, tradeoff, tradeoffs, cost of inaction, cost of doing nothing, if we do
    nothing, vulnerable, churn, attrition, overrun, slip, what could go wrong, failure, liability,
    penalty, disruption, disrupt, could disrupt, could slip, may slip, downtime, outage, outages, hidden
    costs, learning curve, may take longer
    """
)
MITIGATION = _words(
    """
    mitigate, mitigates, mitigation, mitigations, contingency, fallback, fall back, backup plan,
    safeguard, safeguards, to reduce, reduce the risk, we will monitor, monitor, rollback, roll back,
    insurance, buffer, pilot, exit clause, break clause, cap, capped, escrow, parallel run, phased,
    stage gate, checkpoint, limit, protect
    """
)
ALTERNATIVE = _words(
    """
    alternative, alternatives, option, options, instead, compared with, compared to, versus, vs, we
    considered, we also considered, do nothing, status quo, rather than
    """
)

# A contingency: "if churn exceeds 5%, we will offer a price lock".
CONTINGENCY = re.compile(r"\bif\b[^.;\x00]{3,100}?,?\s+(?:we|i|the \w+ team|\w+) will\b", re.IGNORECASE)
# A risk said with a modal verb: "nurses may distrust", "costs could exceed", "some customers may leave".
RISK_MODAL = re.compile(
    r"\b(?:may|might|could)\s+(?:not\s+)?(?:\w+\s+)?(?:fail|break|exceed|delay|slip|lose|leave|disrupt|disturb"
    r"|distrust|be locked|be lower|be higher|raise|fall|drop|take longer|cost more|go wrong|reject|resist)\w*\b",
    re.IGNORECASE,
)

# Plan
COMMITMENT = _words(
    """
    we will, i will, will be, will run, will keep, will train, will provide, provides
    """
)
# A sentence about what will happen (the plan), not what has happened (the evidence).
FUTURE = re.compile(
    r"\b(?:will|shall|going to|is due|are due|starts?|begins?|runs? from|by \d|owns?|owner)\b", re.IGNORECASE
)
TIMELINE = _words(
    """
    week, weeks, month, months, quarter, milestone, milestones, phase, phases, timeline, schedule, kick
    off, kickoff, launch, go-live, go live, deadline, day, days, sprint
    """
)
OWNER = re.compile(
    r"\b(?:owner|owned by|owns|will lead|leads|responsible|accountable|point of contact|dri)\b|\bIT will\b"
    r"|\b(?!(?:We|I|It|This|That|They|You|He|She|There|Which|Who)\b)[A-Z][a-z]+(?: [A-Z][a-z]+)?\s+"
    r"(?:\([^)\x00]{1,30}\)\s+)?will\b"
    r"|(?i:\b(?:finance|hr|legal|procurement|engineering|sales|marketing|ops|operations|the \w+ team)\s+will\b)",
)
RESOURCE = _words(
    """
    budget, headcount, fte, ftes, hires, hire, staff, hours, cost, costs, licence, license, licenses,
    tools, contractor, contractors, capex, opex, resources, team of
    """
)
NEXT_STEP = _words(
    """
    next step, next steps, action items, action plan, we will, i will, will start, will begin, following
    approval, once approved, upon approval, plan, the plan, roadmap
    """
)
SUCCESS_MEASURE = _words(
    """
    kpi, kpis, metric, metrics, measure, measured, success, target, targets, review, checkpoint,
    benchmark, goal, goals, okr, okrs, track, tracking
    """
)

# Structure: an opening that states the point (BLUF).
BOTTOM_LINE = _words(
    """
    recommend, recommendation, request, propose, proposal, ask, approve, approval, decision, bottom
    line, in short, summary, we should, need to decide, seek, conclusion
    """
)
SUMMARY_HEADING = _words(
    """
    summary, executive summary, bottom line, bluf, recommendation, tl;dr, tldr, the ask, decision
    needed, purpose, request
    """
)

# Function words that say nothing about a memo's subject (with CUE_WORDS, excluded from its topic).
_STOPWORDS = """
    about above after again against also although among another because been before being below between
    both but cannot could does doing down during each either else even ever every from further have having
    here hers herself himself into itself just last least less like made make many more most much must
    never next none nothing often once only other ours ourselves over own same says shall should since some
    such than that their theirs them themselves then there these they this those though through under until
    upon very were what when where whether which while whom whose why will with within without would year
    years your yours yourself today week weeks month months first second third half about team teams people
    everyone anyone someone think thought know knew want wanted feel felt look looked looking going come
    well still back time times good great better best really quite able need needs needed sure thanks
    hello dear kind regards subject please would could should let's lets january february march april june
    july august september october november december monday tuesday wednesday thursday friday saturday sunday
    """
STOPWORDS = frozenset(_STOPWORDS.split())
