"""The offline chat's fixed sentences, in each language the coach reads, so a Spanish memo is
answered in Spanish: the answers are built from the memo's own sentences and these.

Keys are the same in every language (a test checks it); `{placeholders}` are filled by chat_answers.
[Brackets] mark what only the writer knows, in the writer's language.
"""

from __future__ import annotations

import re

EN = {
    "offline": "The coach is offline right now ({reason}), so this answer comes from reading your memo, not from an AI.",
    "could_read": "It could read: “{text}”",
    "advice": "Advice: {text}",
    "scored": "{name} (your memo scored {score}/{max}):",
    "unscored": "{name}:",
    "nothing": "Your memo has no sentences to work from yet.",
    # which numbers
    "claims": "These claims have nothing measured behind them:",
    "claim_needs": "What would support it: {kind}.",
    "unsourced": "This sentence has a figure, but not where it comes from:",
    "sourced_gap": " ([source], [date])",
    "all_backed": "Every claim I can find already has a figure behind it ({figures} in all).",
    "no_figures": "Your memo has no figures and no claims I can point to.",
    "no_figures_advice": (
        "start with the one number the decision turns on: what it costs, and what it saves or earns, "
        "with where that number comes from."
    ),
    # the opening
    "opening_is_point": "Your first sentence states your point:",
    "opening_lacks": "It does not yet say {missing}.",
    "opening_keep": "Keep it first.",
    "opening_not_point": "Your memo opens with this, before the reader knows what you want:",
    "point_later": "Your point comes in sentence {number} of {total}:",
    "point_first": "make that sentence the first one; what opens the memo now can follow as background.",
    "opening_rambles": "It thinks aloud instead of stating the point.",
    "no_point": "No sentence states what you want decided.",
    "opening_pattern": (
        "open with one sentence that says what you want done, what it costs and by when, for example "
        "“I recommend that we [what], at a cost of [amount]; I need your decision by [date].”"
    ),
    "headings": "Headings: {count}. ",
    "headings_advice": "give each part of the argument a short heading of its own (the case, the risks, the plan).",
    # the ask
    "ask_is": "This is your ask:",
    "ask_clear": "It is clear: it says how much and by when.",
    "ask_lacks": "It does not say {missing}, so the reader cannot say yes to something exact.",
    "how_much": "how much",
    "by_when": "by when",
    "amount_gap": " for [amount]",
    "deadline_gap": ", and I need your decision by [date]",
    "ask_late": "put it in the first two sentences, so the reader knows what you want before the background.",
    "ask_stakes": "say what the date is for, or what a late answer costs.",
    "ask_wish": "This is the nearest thing to an ask, but it is a wish: the reader cannot say yes to it.",
    "wish_gaps": ": [exactly what], at a cost of [amount]. I need your decision by [date].",
    "no_ask": "No sentence asks the reader for a decision.",
    "ask_pattern": "add one sentence like “I ask you to approve [what] for [amount] by [date].”",
    # risks
    "risk_handled": "You name this risk:",
    "handled_by": "and say how you will handle it:",
    "risk_bare": "This names a risk, but not what you will do about it:",
    "risk_gap": " To limit this, we will [action] ([owner], [date]).",
    "no_risk": "I find no sentence that says what could go wrong.",
    "risk_pattern": (
        "add “The main risk is [what could go wrong]. To limit it, we will [action] by [date].” "
        "A reader trusts a memo that names its own weak point."
    ),
    "no_alternative": "nothing says what else you considered; one sentence on the alternative and why not helps.",
    # the plan
    "plan_steps": "Your plan: these sentences say who does what by when.",
    "plan_measure": "say how you will know it worked: a measure and the date you will report it.",
    "plan_owner": "This names who acts, but not by when:",
    "plan_vague": "These sentences say what will happen, but not who does it by when:",
    "plan_who_when": "give each step a person and a date, like “[Owner] will [step] by [date].”",
    "no_plan": "I find no sentence that says what happens after a yes.",
    "plan_pattern": (
        "end with the first steps: “If you approve, [owner] will [first step] by [date], and I will report "
        "[measure] on [date].”"
    ),
    # length
    "length": "Your memo is {words} words in {sentences} sentences, {average} words a sentence on average.",
    "too_long": "That is long for a decision memo, which reads best on one page (about {limit} words).",
    "too_short": "That is short; short is good if it still carries the ask, a figure, the main risk and the plan.",
    "length_fine": "That is a good length for a decision memo.",
    "missing_parts": "It has no {parts} yet.",
    "part_figure": "figure",
    "part_risk": "named risk",
    "part_plan": "plan",
    "or": "or",
    "repeats": "{count} sentences say again what an earlier one said; cut the repeats.",
    "longest": "Your longest sentence, at {words} words:",
    "hedged": "This sentence hedges; cutting the hedges shortens it:",
    # clarity
    "clear_enough": "Your sentences average {average} words, and I find no hedges or jargon.",
    "jargon": "This uses jargon ({terms}):",
    "passive": "This does not say who acts:",
    "passive_advice": "name who does it: “[Who] [does what]”.",
    # general
    "weakest": "Here is where your memo has most room:",
    # what the offline coach can answer
    "cannot": (
        "I cannot answer that offline: without a language model I can only read your memo for its parts. "
        "I can answer questions like these:"
    ),
    "examples": (
        "Which numbers should I add?",
        "What should my first sentence say?",
        "Is my ask clear?",
        "How should I handle the risks?",
        "What should the plan say?",
        "Is it too long?",
        "How do I improve this memo?",
    ),
}

ES = {
    "offline": (
        "El coach no está disponible ahora ({reason}), así que esta respuesta sale de leer su memorando, no de una IA."
    ),
    "could_read": "Podría decir: «{text}»",
    "advice": "Consejo: {text}",
    "scored": "{name} (su memorando obtuvo {score}/{max}):",
    "unscored": "{name}:",
    "nothing": "Su memorando aún no tiene frases con las que trabajar.",
    "claims": "Estas afirmaciones no tienen nada medido que las respalde:",
    "claim_needs": "Qué la respaldaría: {kind}.",
    "unsourced": "Esta frase tiene una cifra, pero no dice de dónde sale:",
    "sourced_gap": " ([fuente], [fecha])",
    "all_backed": "Cada afirmación que encuentro ya tiene una cifra detrás ({figures} en total).",
    "no_figures": "Su memorando no tiene cifras ni afirmaciones que pueda señalar.",
    "no_figures_advice": (
        "empiece por el número del que depende la decisión: cuánto cuesta y cuánto ahorra o aporta, "
        "con de dónde sale ese número."
    ),
    "opening_is_point": "Su primera frase plantea la idea principal:",
    "opening_lacks": "Aún no dice {missing}.",
    "opening_keep": "Manténgala en primer lugar.",
    "opening_not_point": "Su memorando empieza con esto, antes de que el lector sepa qué quiere:",
    "point_later": "Su idea principal llega en la frase {number} de {total}:",
    "point_first": "ponga esa frase en primer lugar; lo que ahora abre el memorando puede ir después como contexto.",
    "opening_rambles": "Piensa en voz alta en lugar de plantear la idea.",
    "no_point": "Ninguna frase dice qué quiere que se decida.",
    "opening_pattern": (
        "abra con una frase que diga qué quiere que se haga, cuánto cuesta y para cuándo, por ejemplo "
        "«Propongo que [qué], con un coste de [importe]; necesito su decisión antes del [fecha].»"
    ),
    "headings": "Títulos: {count}. ",
    "headings_advice": "dé a cada parte del argumento un título breve (el caso, los riesgos, el plan).",
    "ask_is": "Esta es su petición:",
    "ask_clear": "Es clara: dice cuánto y para cuándo.",
    "ask_lacks": "No dice {missing}, así que el lector no puede aprobar algo concreto.",
    "how_much": "cuánto",
    "by_when": "para cuándo",
    "amount_gap": " por [importe]",
    "deadline_gap": ", y necesito su decisión antes del [fecha]",
    "ask_late": "póngala en las dos primeras frases, para que el lector sepa qué quiere antes del contexto.",
    "ask_stakes": "diga para qué es la fecha o qué cuesta una respuesta tardía.",
    "ask_wish": "Es lo más parecido a una petición, pero es un deseo: el lector no puede decirle que sí.",
    "wish_gaps": ": [qué exactamente], con un coste de [importe]. Necesito su decisión antes del [fecha].",
    "no_ask": "Ninguna frase pide al lector una decisión.",
    "ask_pattern": "añada una frase como «Le pido que apruebe [qué] por [importe] antes del [fecha].»",
    "risk_handled": "Nombra este riesgo:",
    "handled_by": "y dice cómo lo gestionará:",
    "risk_bare": "Esto nombra un riesgo, pero no qué hará al respecto:",
    "risk_gap": " Para limitarlo, [acción] ([responsable], [fecha]).",
    "no_risk": "No encuentro ninguna frase que diga qué podría salir mal.",
    "risk_pattern": (
        "añada «El principal riesgo es [qué podría salir mal]. Para limitarlo, [acción] antes del [fecha].» "
        "El lector confía en un memorando que nombra su propio punto débil."
    ),
    "no_alternative": "nada dice qué otras opciones consideró; una frase sobre la alternativa y por qué no, ayuda.",
    "plan_steps": "Su plan: estas frases dicen quién hace qué y para cuándo.",
    "plan_measure": "diga cómo sabrá que ha funcionado: una medida y la fecha en que informará de ella.",
    "plan_owner": "Esto dice quién actúa, pero no para cuándo:",
    "plan_vague": "Estas frases dicen qué pasará, pero no quién lo hace ni para cuándo:",
    "plan_who_when": "dé a cada paso una persona y una fecha, como «[Responsable] [hará el paso] antes del [fecha].»",
    "no_plan": "No encuentro ninguna frase que diga qué pasa después de un sí.",
    "plan_pattern": (
        "termine con los primeros pasos: «Si lo aprueba, [responsable] [primer paso] antes del [fecha], "
        "e informaré de [medida] el [fecha].»"
    ),
    "length": "Su memorando tiene {words} palabras en {sentences} frases, {average} palabras por frase de media.",
    "too_long": "Es largo para un memorando de decisión, que se lee mejor en una página (unas {limit} palabras).",
    "too_short": "Es corto; lo corto está bien si aun así lleva la petición, una cifra, el riesgo principal y el plan.",
    "length_fine": "Es una buena extensión para un memorando de decisión.",
    "missing_parts": "Aún no tiene {parts}.",
    "part_figure": "cifras",
    "part_risk": "riesgos",
    "part_plan": "plan",
    "or": "ni",
    "repeats": "{count} frases repiten lo que ya dijo una anterior; quite las repeticiones.",
    "longest": "Su frase más larga, de {words} palabras:",
    "hedged": "Esta frase titubea; quitar las vacilaciones la acorta:",
    "clear_enough": "Sus frases tienen {average} palabras de media y no encuentro vacilaciones ni jerga.",
    "jargon": "Esto usa jerga ({terms}):",
    "passive": "Esto no dice quién actúa:",
    "passive_advice": "diga quién lo hace: «[Quién] [hace qué]».",
    "weakest": "Aquí es donde su memorando tiene más margen:",
    "cannot": (
        "No puedo responder a eso sin conexión: sin un modelo de lenguaje solo puedo leer las partes de su "
        "memorando. Puedo responder a preguntas como estas:"
    ),
    "examples": (
        "¿Qué cifras debería añadir?",
        "¿Qué debería decir mi primera frase?",
        "¿Está clara mi petición?",
        "¿Cómo trato los riesgos?",
        "¿Qué debería decir el plan?",
        "¿Es demasiado largo?",
        "¿Cómo mejoro este memorando?",
    ),
}

PHRASES: dict[str, dict] = {"en": EN, "es": ES}
# Why the coach is offline (chat.py says it in English), in each other language.
REASONS = {
    "es": {
        "no language model is configured": "no hay ningún modelo de lenguaje configurado",
        "the language model is unavailable": "el modelo de lenguaje no responde",
        "the language model gave an empty answer": "el modelo de lenguaje dio una respuesta vacía",
    }
}


def _pattern(words: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(words.split()) + r")\b", re.IGNORECASE)


# What kind of figure would back a claim, read from the claim's own words; the first that fits wins.
FIGURE_KINDS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "en": (
        (
            _pattern(
                r"costs? costly expensive cheap\w* spend\w* budget\w* pric\w+ sav\w+ revenue margins? profit\w* money fees?"
            ),
            "a sum of money: how much, per month or per year, and compared with what",
        ),
        (
            _pattern(r"morale happy unhappy satisf\w* frustrat\w* tired like love hate complain\w* trust quality"),
            "a survey result or a count of complaints, with its date",
        ),
        (
            _pattern(r"busy workload overload\w* overtime understaffed stretched backlog"),
            "a workload measure: hours of overtime or the size of the backlog, per week",
        ),
        (
            _pattern(r"time slow\w* fast\w* quick\w* delay\w* late wait\w* hours? days? weeks? longer"),
            "a time: how many hours or days it takes now, and after the change",
        ),
        (
            _pattern(
                r"increas\w* grow\w* grew rising rises risen rose drop\w* fell fall\w* declin\w* improv\w* better worse more less fewer higher lower"
            ),
            "a change: from what to what, over which period",
        ),
        (
            _pattern(
                r"customers? clients? users? staff people employees complaints? tickets? requests orders calls many several few most often frequent\w*"
            ),
            "a count: how many, in what period",
        ),
    ),
    "es": (
        (
            _pattern(
                r"costes? coste caro\w* barat\w* gast\w+ presupuest\w* precios? ahorr\w* ingresos margen\w* beneficio\w* dinero factura\w*"
            ),
            "una cantidad de dinero: cuánto, al mes o al año, y comparado con qué",
        ),
        (
            _pattern(r"moral content\w* satisf\w* frustra\w* cansad\w* quej\w* confianza calidad gusta\w*"),
            "el resultado de una encuesta o un recuento de quejas, con su fecha",
        ),
        (
            _pattern(r"carga saturad\w* sobrecarg\w* horas\s+extra acumulad\w* pendientes"),
            "una medida de la carga de trabajo: horas extra o trabajo pendiente, por semana",
        ),
        (
            _pattern(r"tiempo lent\w* rápid\w* retras\w* tarde esper\w* horas? días? semanas? atasc\w* plazos?"),
            "un tiempo: cuántas horas o días lleva ahora y cuántos después del cambio",
        ),
        (
            _pattern(
                r"aument\w* crec\w* sub(?:e|en|ió|ieron|ida|ido|ir) baj(?:a|an|ó|aron|ada|ado|ar) cae\w* caíd\w* mejor\w* peor\w* más menos mayor menor"
            ),
            "un cambio: de cuánto a cuánto, en qué periodo",
        ),
        (
            _pattern(
                r"clientes? usuarios? personal personas empleados equipos? tickets? pedidos llamadas much[oa]s varios pocos mayoría frecuente\w*"
            ),
            "un recuento: cuántos, en qué periodo",
        ),
    ),
}
# What will or might happen is a forecast or a plan, not a claim a figure could back today.
NOT_YET = {
    "en": re.compile(r"\b(?:will|would|shall|going to|might|may|could)\b", re.IGNORECASE),
    "es": re.compile(r"\b(?:\w+(?:ría|rían|ríamos|ré|rá|rán|remos)|podr\w+|puede que|quizás?)\b", re.IGNORECASE),
}
ANY_FIGURE = {
    "en": "a figure that measures exactly this, with where it comes from",
    "es": "una cifra que mida exactamente esto, con de dónde sale",
}


def figure_kind(claim: str, language: str) -> str | None:
    """The kind of figure that would back the claim, or None when its words name nothing measurable."""
    return next((kind for pattern, kind in FIGURE_KINDS[language] if pattern.search(claim)), None)
