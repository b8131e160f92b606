"""What a writer's question asks, so the offline chat answers that question and not a template.

Questions are recognised by intent, with the words writers use for it in English and Spanish
("which numbers", "what figures", "¿qué datos?"), not by sharing a word with a rubric criterion's
name; a question that names a criterion in its own words ("Is my evidence strong?") still finds it
through the rubric. A question about nothing the memo can answer is `unknown`, and the chat says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from memo_coach.coaching.rubric import Criterion, Framework, Rubric

MAX_KINDS = 2  # a question about more than two things is answered on the first two it names


def _any(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


# Each kind of question, most specific first; "clear" and "improve" only count when nothing else does,
# because "is my ask clear?" is about the ask.
INTENTS: dict[str, re.Pattern[str]] = {
    "numbers": _any(
        r"numbers?",
        r"figures?",
        r"data",
        r"stats?",
        r"statistics?",
        r"evidence",
        r"facts?",
        r"metrics?",
        r"proof",
        r"prove",
        r"back(?:ing|ed)? (?:it |this |them |that )?up",
        r"support(?:ed|ing)? (?:my|the|this|these|it)",
        r"sources?",
        r"quantif\w*",
        r"convinc\w*",
        r"persuasive",
        r"credib\w*",
        r"cifras?",
        r"n[uú]meros?",
        r"datos?",
        r"pruebas?",
        r"fuentes?",
        r"respald\w*",
        r"estad[ií]stic\w*",
        r"evidencias?",
        r"demostrar",
        r"convenc\w*",
    ),
    "opening": _any(
        r"first (?:sentence|line|paragraph|thing|words?)",
        r"open",
        r"opens",
        r"opening",
        r"open(?:s)? with",
        r"start(?:s|ing)?",
        r"begin\w*",
        r"lead(?:s)? with",
        r"intro\w*",
        r"headline",
        r"bottom line",
        r"bluf",
        r"up front",
        r"upfront",
        r"subject line",
        r"primera (?:frase|l[ií]nea|oraci[oó]n)",
        r"primer p[aá]rrafo",
        r"comienz\w*",
        r"empiez\w*",
        r"empezar",
        r"inicio",
        r"arranque",
        r"abrir",
        r"encabezado",
    ),
    "ask": _any(
        r"ask(?!\s+(?:you|a question|the coach))",
        r"asks",
        r"asking",
        r"request\w*",
        r"call to action",
        r"approv\w*",
        r"sign[- ]off",
        r"what (?:i|we) want",
        r"what i(?:'m| am) asking",
        r"decision",
        r"petici[oó]n",
        r"pedir",
        r"pido",
        r"solicit\w*",
        r"aprobaci[oó]n",
        r"aprobar",
        r"qu[eé] quiero",
        r"decisi[oó]n",
    ),
    "risks": _any(
        r"risks?",
        r"risky",
        r"downsides?",
        r"what (?:could|might|can) go wrong",
        r"objections?",
        r"concerns?",
        r"push-?back",
        r"trade-?offs?",
        r"alternatives?",
        r"mitigat\w*",
        r"worst case",
        r"riesgos?",
        r"arriesgad\w*",
        r"qu[eé] (?:puede|podr[ií]a) salir mal",
        r"objeci[oó]n\w*",
        r"inconvenientes?",
        r"alternativas?",
        r"mitig\w*",
    ),
    "plan": _any(
        r"plan",
        r"plans",
        r"planning",
        r"next steps?",
        r"timeline",
        r"time line",
        r"schedule",
        r"milestones?",
        r"roll-?out",
        r"implement\w*",
        r"who does what",
        r"follow[- ]up",
        r"action items?",
        r"owners?",
        r"after (?:a|they say) yes",
        r"pr[oó]ximos pasos",
        r"siguientes pasos",
        r"calendario",
        r"hitos?",
        r"implanta\w*",
        r"responsables?",
        r"cronograma",
    ),
    "length": _any(
        r"too long",
        r"too short",
        r"length",
        r"how long",
        r"shorter",
        r"shorten\w*",
        r"trim\w*",
        r"concise\w*",
        r"wordy",
        r"word count",
        r"how many words",
        r"brevity",
        r"one page",
        r"long enough",
        r"demasiado (?:largo|corto|extenso)",
        r"longitud",
        r"extensi[oó]n",
        r"acortar",
        r"recortar",
        r"m[aá]s corto",
        r"cu[aá]ntas palabras",
    ),
    "structure": _any(
        r"structure\w*",
        r"organi[sz]\w*",
        r"headings?",
        r"layout",
        r"estructura\w*",
        r"organiz\w*",
        r"t[ií]tulos?",
    ),
    "clarity": _any(
        r"clear(?:er|ly)?",
        r"clarity",
        r"readab\w*",
        r"reads? well",
        r"understand\w*",
        r"plain",
        r"simpler",
        r"jargon",
        r"passive",
        r"wording",
        r"confusing",
        r"style",
        r"claridad",
        r"clar[oa]",
        r"legible",
        r"entender",
        r"comprensible",
        r"jerga",
        r"sencill\w*",
        r"pasiva",
        r"estilo",
    ),
    "improve": _any(
        r"improve\w*",
        r"better",
        r"stronger",
        r"fix",
        r"change",
        r"wrong",
        r"weak\w*",
        r"feedback",
        r"advice",
        r"tips?",
        r"suggest\w*",
        r"think",
        r"thoughts",
        r"score\w*",
        r"rating",
        r"good",
        r"ready",
        r"mejor\w*",
        r"cambiar",
        r"corregir",
        r"fallos?",
        r"d[eé]bil\w*",
        r"consejos?",
        r"sugerencias?",
        r"opini[oó]n",
        r"puntuaci[oó]n",
        r"nota",
        r"listo",
    ),
}
# Only when nothing more specific is asked.
_FALLBACK_KINDS = ("clarity", "improve")
# The kind that answers each analyzer dimension, for a question that names a criterion in the rubric's words.
DIMENSION_KINDS = {
    "structure": "structure",
    "evidence": "numbers",
    "clarity": "clarity",
    "ask": "ask",
    "risks": "risks",
    "plan": "plan",
}
_GLOSS = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
_COMMON = frozenset(
    [
        "about",
        "after",
        "again",
        "also",
        "could",
        "does",
        "from",
        "have",
        "into",
        "make",
        "more",
        "should",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "this",
        "what",
        "when",
        "where",
        "which",
        "while",
        "will",
        "with",
        "would",
        "your",
        "memo",
        "feedback",
        "score",
        "improve",
        "better",
    ]
)


@dataclass(frozen=True)
class Asked:
    kinds: tuple[str, ...]  # of INTENTS, in the order the question names them; empty when unknown
    frameworks: tuple[Framework, ...]  # writing frameworks the question names


def what_is_asked(question: str, rubric: Rubric) -> Asked:
    """The kinds of question asked, by intent first and by the rubric's own words second."""
    found = {kind: m.start() for kind, pattern in INTENTS.items() if (m := pattern.search(question))}
    specific = [k for k in found if k not in _FALLBACK_KINDS]
    kinds = sorted(specific or found, key=found.__getitem__)
    if not specific:
        named = [DIMENSION_KINDS[c.analyzer] for c in named_criteria(question, rubric)]
        kinds = list(dict.fromkeys(named)) or kinds
    return Asked(tuple(kinds[:MAX_KINDS]), tuple(named_frameworks(question, rubric)))


def named_criteria(question: str, rubric: Rubric) -> list[Criterion]:
    """Criteria whose id or name shares a significant word with the question."""
    asked = _words(question)
    return [c for c in rubric.criteria if asked & _words(" ".join([c.id, *c.name.texts.values()]))]


def named_frameworks(question: str, rubric: Rubric) -> list[Framework]:
    """Frameworks the question names: by id or by name, leaving out a name's gloss in parentheses
    ("BLUF (la conclusión primero)"), whose everyday words would match any question about openings."""
    asked = _words(question)
    return [f for f in rubric.frameworks if asked & _words(_GLOSS.sub("", " ".join([f.id, *f.name.texts.values()])))]


def _words(text: str) -> set[str]:
    # Four-letter stems, so "risky" meets "risks" and "structured" meets "structure".
    return {w.lower()[:4] for w in _WORD.findall(text.replace("_", " ")) if w.lower() not in _COMMON}
