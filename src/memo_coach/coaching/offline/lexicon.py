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
    """A pattern matching any of the comma-separated phrases as whole words, longest match first."""
    return words_pattern(phrases, CUE_WORDS, FIRST_WORDS)


def words_pattern(phrases: str, cue_words: set[str], first_words: dict) -> re.Pattern[str]:
    """The pattern for `phrases`, its single words added to `cue_words` and its first words to `first_words`.

    Each lexicon passes its own registries, so the Spanish one (lexicon_es.py) builds its patterns the
    same way without mixing its words into the English ones. The phrases are compiled as a trie, not a
    flat alternation: Python's regex engine would otherwise try every phrase at every word, which made
    the analyzer several times slower.
    """
    trie: dict[str, dict] = {}
    for phrase in phrases.split(","):
        if len(phrase.split()) > 6:
            raise ValueError(f"phrase {' '.join(phrase.split())!r} is too long: a missing comma?")
        node = trie
        if len(phrase.split()) == 1:
            cue_words.add(phrase.strip().lower())
        for char in " ".join(phrase.lower().split()):
            node = node.setdefault(char, {})
        if node is not trie:
            node[""] = {}
    pattern = re.compile(r"(?<![\w-])" + _trie_pattern(trie) + r"(?![\w-])", re.IGNORECASE)
    firsts = {phrase.lower().split()[0] for phrase in phrases.split(",") if phrase.strip()}
    if all(WORD_RUN.fullmatch(word) for word in firsts):
        first_words[pattern] = frozenset(firsts)
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


def number_pattern(small: str, big: str, joiner: str, percent: str, fractions: str) -> re.Pattern[str]:
    """Figures in digits ("1,200") or in words ("seventy-eight", "twelve percent", "half of our customers"):
    a writer who spells a figure out still gives one. A lone small number ("two options") is a count,
    not a measurement, so it is a figure only before `percent`; `fractions` carry their own context.
    Each lexicon passes its own number words, so Spanish builds its pattern the same way."""
    word = rf"(?:{small}|{big})"
    more = rf"(?:(?:-|\s+(?:{joiner}\s+)?){word})*"
    return re.compile(
        r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])"
        rf"|(?<![\w-])(?:(?:{small})(?:-|\s+))?(?:{big}){more}(?![\w-])"
        rf"|(?<![\w-])(?:{small}){more}(?=\s+(?:{percent}))"
        rf"|(?<![\w-]){fractions}",
        re.IGNORECASE,
    )


NUMBER = number_pattern(
    "one|two|three|four|five|six|seven|eight|nine",
    "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty"
    "|sixty|seventy|eighty|ninety|hundred|thousand|million|billion",
    "and",
    r"percent\b|per cent\b|percentage points?\b",
    r"(?<!first )(?<!second )(?:half|a third|a quarter|two thirds|three quarters)(?=\s+of\b)",
)
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
    r"|pages|offer|database|exports?|(?:board|meeting|committee|council) minutes|interviews|forecasts?"
    r"|estimates?)"
)
# Where a source may be: "according to", "source:", a source noun, or a parenthesis that names one or
# dates the figure ("(scheduling reports, Q1-Q4)"). A match is only a candidate: features.py keeps the
# ones that name an origin ("the support dashboard", "Gartner's survey", "(Finance, March)"), not a cue
# phrase ("per the", "data shows", "the report"), and only beside a figure.
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
# The passive: a form of "to be" and the past participle of a transitive verb. Participles that are
# adjectives after "be" ("we are tired", "she is interested") are passive only with an agent ("by ...");
# words that merely end in -ed ("indeed", "need", "hundred") are not participles.
_ADJECTIVAL = (
    r"tired|interested|worried|concerned|excited|pleased|satisfied|disappointed|surprised|bored|confused"
    r"|frustrated|involved|located|based|supposed|married|committed|dedicated|qualified|experienced|skilled"
    r"|exhausted|overwhelmed|determined|convinced|scared|annoyed|delighted|stressed|engaged|motivated"
    r"|prepared|used|aligned|focused|relaxed|impressed|amazed|ashamed|embarrassed|unsupported|outdated"
)
PASSIVE = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?"
    r"(?!(?:" + _ADJECTIVAL + r")\b(?!\s+by\b))(?!(?:indeed|need|speed|feed|seed|breed|hundred|red)\b)"
    r"(?:\w{2,}ed|made|done|given|taken|seen|known|shown|written|paid|sent|built|brought|bought|held|kept|"
    r"left|lost|met|put|run|set|told|understood|won|chosen|spent|begun|broken|driven|found)\b",
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
    alignment, stakeholder buy-in, optimize, optimise, operationalize, ideate, learnings,
    as many of you may know, as many of you know, as we all know, as you know, it is worth, take this
    opportunity, with that in mind, in light of, outlined above, it goes without saying, first and foremost,
    last but not least, all things considered, in today's, fast-paced, ever-changing, each and every, in
    line with, as appropriate, the usual channels, best practice, fit for purpose, roles and
    responsibilities, at every stage, of course, in general
    """
)

# The ask
REQUEST = _words(
    """
    request, requesting, we request, i request, approve, approval, recommend, recommending,
    recommendation, propose, proposing, ask, asking, seek, seeking, authorize, authorise, authorization,
    sign off, sign-off, decide, decision, we need you, i need you, please confirm, please approve, green
    light, fund, funding, allocate, we should, would be appreciated, it would be great if, we need,
    we would like, i would like, could we, can we, let me know if we can, i want us to, i'd like, i need,
    go-ahead, go ahead, please sign, please release, your ok, green-light, greenlight
    """
)
DEADLINE = re.compile(
    r"\b(?:by|before|no later than|until|deadline|due)\b\s+(?:the\s+)?(?:end of\s+)?"
    # "before the budget meeting on 9 October": a named occasion with its date.
    r"(?:\w+\s+){0,2}(?:on\s+)?(?:\d|"
    + _MONTH
    + r"|monday|tuesday|wednesday|thursday|friday|q[1-4]|next|this|tomorrow|eod|cob)"
    r"|\bdeadline\b"
    # "approve it at its 15 February meeting": the meeting is the deadline.
    r"|\b(?:at|in)\s+(?:its|the|our|your)\s+(?:\d{1,2}\s+" + _MONTH + r"|" + _MONTH + r"\s+\d{1,2})\w*\s+meeting",
    re.IGNORECASE,
)

# What hangs on the answer: "by 17 March to catch the April slot", "otherwise we lose the rebate".
ASK_STAKES = re.compile(
    r"\b(?:otherwise|if (?:we|you) (?:do not|don't|wait|miss|delay)|without (?:a|this|your) (?:decision|approval)"
    r"|in time (?:to|for)|so (?:that )?(?:we|she|he|they|i|the \w+) can|to catch|or we (?:lose|miss)|so (?:that )?the"
    r"|before the|we would lose|we will lose|we lose|in time)\b",
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
    costs, learning curve, may take longer, drawback, drawbacks, the main cost, unknown, unknowns, delay,
    delays, run late, runs late, fall behind, falls behind, late delivery
    """
)
MITIGATION = _words(
    """
    mitigate, mitigates, mitigation, mitigations, contingency, fallback, fall back, backup plan,
    safeguard, safeguards, to reduce, reduce the risk, we will monitor, monitor, rollback, roll back,
    insurance, buffer, pilot, exit clause, break clause, cap, capped, escrow, parallel run, phased,
    stage gate, checkpoint, limit, protect, credit, guarantee, guarantees, guaranteed, warranty, refund,
    prevent, to prevent, to avoid
    """
)
ALTERNATIVE = _words(
    """
    alternative, alternatives, option, options, instead, compared with, compared to, versus, vs, we
    considered, we also considered, do nothing, status quo, rather than, keeping the old, keeping the current,
    keeping the existing, if we wait, if we do not, if we don't, we could also
    """
)

# A contingency: "if churn exceeds 5%, we will offer a price lock".
CONTINGENCY = re.compile(r"\bif\b[^.;\x00]{3,100}?,?\s+(?:we|i|the \w+ team|\w+) will\b", re.IGNORECASE)
# A risk said with a modal verb: "nurses may distrust", "costs could exceed", "some customers may leave".
RISK_MODAL = re.compile(
    r"\b(?:may|might|could)\s+(?:not\s+)?(?:\w+\s+)?(?:fail|break|exceed|delay|slip|lose|leave|disrupt|disturb"
    r"|distrust|be locked|be lower|be higher|raise|fall|drop|take longer|cost more|go wrong|reject|resist|suit)\w*\b",
    re.IGNORECASE,
)

# Plan
# When a step happens, said without a full date: "in October", "within six weeks", "every quarter".
# "Soon", "in due course" and "in the coming weeks" say no time at all.
SCHEDULE = re.compile(  # case-sensitive: "in May" names a month, "in may" does not
    r"(?i:\b(?:in|from|until|by|before|after|starting(?:\s+in)?|within|for|over|every|each)\s+(?:the\s+)?"
    r"(?:(?:first|next|last)\s+)?)(?:(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\b|(?i:(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:days?|weeks?"
    r"|months?|quarters?|years?)\b))|(?i:\b(?:every|each)\s+(?:day|week|month|quarter|year)\b)"
)
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
    r"|\bI(?: will|'ll|’ll)\b"
    r"|\b(?!(?:We|I|It|This|That|They|You|He|She|There|Which|Who)\b)[A-Z][a-z]+(?: [A-Z][a-z]+)?\s+"
    r"(?:\([^)\x00]{1,30}\)\s+)?will\b(?!\s+be\s+\w+(?:ed|en|wn)\b)"
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
    benchmark, goal, goals, okr, okrs, track, tracking, report, reports, report back, baseline
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

# Substance: what must stand behind a cue before it counts (substance.py, features.py).


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# A label and a colon at the start of a line ("Risk:", "Next steps:"). What follows it is a fragment
# unless it runs on as a sentence: "Risk: mitigated." is a label, not a risk.
LABEL = re.compile(r"^[^\W\d_][\w'’&/-]*(?:[ \t]+[\w'’&/-]+){0,2}[ \t]*:(?=\s)")
# A line that opens with its date, "2 June: Lena starts" or "On 3 June, Ana trains": a dated plan step
# (when nothing in it is past).
DATED_STEP = re.compile(
    r"^(?:(?:on|from|by|in|week of)\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+"
    + _MONTH
    + r"|"
    + _MONTH
    + r"\s+\d{1,2}(?:st|nd|rd|th)?|week\s+\d+|q[1-4]|\d{4}-\d{2}-\d{2}|(?:monday|tuesday|wednesday|thursday|friday))"
    r"\b[^\x00]{0,12}?[:,–-]",
    re.IGNORECASE,
)
PAST = re.compile(r"\b(?:was|were|had|did|\w{3,}ed)\b", re.IGNORECASE)
# An approval the plan waits on: "If you approve, I will order on 18 March" is the plan, not the ask.
ON_APPROVAL = re.compile(
    r"\b(?=[iowauf])(?:(?:if|once|when|after|as soon as)\s+(?:you|the board|the committee|we are|it is|this is)?\s*approved?s?\b"
    r"|(?:upon|following|after) (?:your )?approval\b)",
    re.IGNORECASE,
)
# An uncertain event, not risk as a topic: "the risk is that...", "could delay", "if the vendor fails".
RISK_EVENT = re.compile(
    r"\b(?:may|might|could|would|if|unless|in case|worst case|risks? (?:is|are|was|were|of|that)|danger|chance"
    r"|should (?:the|it|we|they)|(?:is|are) (?:a |an )?(?:\w+ )?risks?)\b"
    r"|\brisk:|\b(?:drawbacks?|downsides?|trade-?offs?|the main cost)\b",
    re.IGNORECASE,
)
# Words that name nothing on their own: what a figure measures, a source's name or a handling's action
# is found among the other words.
FUNCTION_WORDS = _set(
    """
    a an the this that these those it its it's they them their there here we us our you your i me my he
    she his her him who which what whose whom and or but nor so yet if then than as of to in on at by for
    from with without into onto over under about around above below up down out off per via vs each every
    all any some no not only just also even about approximately roughly nearly almost over under about
    is are was were be been being am has have had do does did will would shall should can could may might
    must new more less fewer most least other another same such very much many few several whole total
    anything everything something nothing anyone everyone someone one ones when while because since until
    after before where although though unless whereas
    """
)
# Verbs of change between a figure and what it measures: "tickets fell by 35%", "costs rose to $4m".
CHANGE_WORDS = _set(
    """
    improve improves improved increase increases increased decrease decreases decreased grow grows grew
    rise rises rose fall falls fell drop drops dropped cut cuts reduce reduces reduced boost boosts boosted
    lift lifts lifted gain gains gained went go goes reach reaches reached hit hits exceed exceeds exceeded
    up down
    """
)
# Nouns after a figure that do not say what it measures: "40% uplift", "3x ROI", "87% of outcomes".
GENERIC_MEASURES = _set(
    """
    uplift upside downside impact impacts growth value values result results improvement improvements
    efficiency efficiencies gain gains outcome outcomes performance success increase increases boost roi
    return returns benefit benefits savings target targets goal goals kpi kpis metric metrics number numbers
    figure figures rate rates level levels productivity engagement synergy synergies better faster likely
    """
)
# Whole populations and markets: "87% of companies", "73% of executives", "the market will reach $180 billion".
# An industry statistic says nothing about this memo's case, so its figure measures nothing here.
POPULATIONS = _set(
    """
    companies organisations organizations firms businesses enterprises executives leaders ceos cios cfos
    respondents consumers market markets industry industries
    """
)
# The writer's own side: a population statistic about "our customers" is the case's own evidence.
OURS = _set("we us our ours i my")
# A word before a number that makes it a label, not a figure: "week 1", "phase 2", "option 3".
NUMBER_LABELS = _set(
    "week weeks day days phase phases step steps stage stages sprint wave option options version item items "
    "no number level tier page section chapter room floor building point points slide appendix table"
)
# What may follow a number before the thing it measures: "$4.2 million a year", "40 per cent of tickets".
UNITS = _set("% $ € £ x k m bn million billion thousand percent per cent pp a an each times")
# Words that qualify a source without naming it: "the latest report", "industry research", "a survey".
VAGUE_QUALIFIERS = _set(
    """
    latest recent last new internal external industry various multiple official annual independent
    third-party full final initial draft detailed key relevant available existing public shows show showed
    see read check review reviewed collect collected gather our own based according source sources
    """
)
# A handling that says nothing about what will be done: "we will manage it", "we will handle it".
EMPTY_ACTIONS = _set(
    """
    manage managed manages managing handle handled handles handling mitigate mitigated mitigates mitigating
    address addressed addressing deal dealt dealing monitor monitored monitoring watch closely carefully
    appropriately accordingly necessary needed proactively eye keep kept take care look looking tackle
    tackled resolve resolved work working wrong goes go happen happens arise arises arising come comes
    deliver delivers execute align win wins succeed drive move forward shows show showed
    ensure make sure issue issues problem problems matter matters situation concern concerns them it
    identify identified assess assessed maintain maintained regularly appropriate framework process processes
    governance relevant standard usual line accordance apply applied define defined confirm confirmed
    """
)
# A source noun on its own ("report", "survey"), to tell "(report, Q3)" from "(Finance, March)".
SOURCE_NOUN = re.compile(_SOURCE_NOUN, re.IGNORECASE)
# The words that link a source noun to the name after it: "a report from Finance".
SOURCE_LINKS = frozenset(("from", "by", "of"))

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
