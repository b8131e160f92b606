"""The offline coach's words for a Spanish memo: what it saw, praise and the next action, in Spanish.

Scores come from the same judges as in English (scoring.py), read through the Spanish lexicon; only
the feedback is written here, from the same measured features, so a Spanish writer is never coached
in English. Segment comments follow the same finders as segments.py, with Spanish comments.
"""

from __future__ import annotations

from collections.abc import Callable

from memo_coach.coaching.offline import segments
from memo_coach.coaching.offline.features import MemoFeatures
from memo_coach.coaching.offline.languages import lexicon as lx
from memo_coach.coaching.offline.scoring import FRAGMENT_SHARES, LONG_SENTENCE_WORDS, Judgement, quoted
from memo_coach.coaching.offline.text import Sentence
from memo_coach.coaching.offline.topic import COHERENT
from memo_coach.coaching.result import SegmentFeedback

# Spanish names of the plan's parts (scoring.judge_plan names them in English).
PLAN_PARTS = {
    "timeline": "calendario",
    "owners": "responsables",
    "resources": "recursos",
    "next steps": "siguientes pasos",
    "success measures": "medidas de éxito",
}


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _listed(items, limit: int = 3) -> str:
    """ "a, b y c"; items that hold commas themselves are joined with semicolons."""
    items = list(dict.fromkeys(items))[:limit]
    if not items:
        return ""
    separator = "; " if any("," in item for item in items) else ", "
    return separator.join(items[:-1]) + (" y " if len(items) > 1 else "") + items[-1]


def _incoherent(f: MemoFeatures) -> bool:
    return f.topic.judged and f.topic.coherence < COHERENT


def _off_topic_note(f: MemoFeatures) -> str:
    share = round((1 - f.topic.coherence) * 100)
    return (
        f" El {share} % de las frases nunca nombra el asunto del memorando, así que sus cifras, responsables y "
        "riesgos no se han contado: una lista de palabras clave no es un argumento."
    )


def _fragment_share(f: MemoFeatures) -> float:
    return len(f.clarity.fragments) / len(f.body) if f.body else 0.0


def _fragments_note(f: MemoFeatures) -> str:
    return (
        f"{len(f.clarity.fragments)} de sus {_plural(len(f.body), 'línea')} son eslóganes o fragmentos con "
        f"etiqueta y dos puntos, como {quoted(f.clarity.fragments[0], 8)}, que nombran un tema sin decir nada de él."
    )


def _supports(f: MemoFeatures) -> int:
    """As scoring._supports: measured figures, named risks, a plan with owners."""
    return (f.evidence.figures >= 1) + (f.risks.risks >= 1) + (f.plan.owners >= 1)


def structure(f: MemoFeatures, score: int) -> Judgement:
    s = f.structure
    organised = s.headings >= 2 or (s.headings >= 1 and s.bullets >= 2)
    seen = _where_the_point_is(f) + _layout(s, organised) + (_off_topic_note(f) if _incoherent(f) else "")
    if _fragment_share(f) > FRAGMENT_SHARES[1]:
        seen += f" {_fragments_note(f)}"
    elif _supports(f) < 2:
        seen += " Poco sostiene la idea principal: ni cifras, ni riesgos, ni un plan con responsables que la apoyen."
    praise = f"Pone la idea principal primero ({quoted(s.point, 8)}) y organiza el resto bajo ella."
    return Judgement(score, seen, praise, _structure_advice(s, organised))


def _where_the_point_is(f: MemoFeatures) -> str:
    s = f.structure
    if s.opening_states_point:
        return f"Abre con la idea principal, {quoted(s.point)}, así que el lector sabe enseguida qué quiere."
    if s.opening_rambles:
        return f"El memorando empieza pensando en voz alta, {quoted(s.opening)}, y el lector tiene que buscar qué pide."
    if s.point is not None:
        return f"La idea principal, {quoted(s.point)}, no llega hasta la frase {s.point_sentence_index + 1} de {len(f.body)}."
    return "Ninguna frase plantea una recomendación o una decisión, así que el lector no sabe para qué es el memorando."


def _layout(s, organised: bool) -> str:
    if organised:
        return f" Los títulos ({_listed(s.heading_texts, 4)}) permiten seguir el argumento de un vistazo."
    if s.headings:
        return f" Un solo título ({s.heading_texts[0]}) no basta para mostrar las partes del argumento."
    return f" No hay títulos: quien lo hojee solo tiene {_plural(s.paragraphs, 'párrafo')}."


def _structure_advice(s, organised: bool) -> str:
    if not s.opening_states_point:
        return "Empiece con su recomendación y la decisión que necesita, en una sola frase (la conclusión primero)."
    if not organised:
        return "Dé a cada parte del argumento un título breve en su propia línea (el caso, los riesgos, el plan)."
    if not (s.paragraphs + s.bullets >= 3 and s.longest_paragraph_words <= 120):
        return f"Divida el párrafo de {s.longest_paragraph_words} palabras para que cada párrafo diga una sola cosa."
    return "Abra cada sección con su propia conclusión, para que los títulos y las primeras líneas cuenten la historia."


def evidence(f: MemoFeatures, score: int) -> Judgement:
    e = f.evidence
    if e.figures:
        seen = f"Respalda el caso con {_plural(e.figures, 'cifra')}, por ejemplo {quoted(e.figure_sentence)}"
        come = "sale" if e.figures == 1 else "salen"
        seen += (
            f", y dice de dónde {come} ({_listed(e.source_texts)})."
            if e.sources
            else f", pero no dice de dónde {come}."
        )
    else:
        seen = "No hay cifras, así que el caso descansa solo en su palabra."
    if e.unsupported:
        seen += f" {quoted(e.unsupported[0])} pide al lector que se crea una afirmación rotunda sin pruebas."
    if _incoherent(f):
        seen += _off_topic_note(f)
    if e.figures == 0:
        advice = "Respalde la afirmación principal con números: el punto de partida, el cambio y el coste."
    elif e.sources == 0:
        advice = "Diga de dónde salen las cifras clave, en pocas palabras: «(contabilidad, marzo)»."
    elif e.unsupported:
        advice = f"Demuestre o quite {_plural(len(e.unsupported), 'afirmación rotunda', 'afirmaciones rotundas')}: cambie adjetivos por cifras."
    elif e.dates == 0:
        advice = "Feche sus cifras (¿a qué fecha?) para que el lector sepa que están al día."
    else:
        advice = "Añada una comparación (antes y después, opción A frente a B) para que los números signifiquen algo."
    cited = f" y fuentes con nombre ({_listed(e.source_texts, 2)})" if e.sources else ""
    praise = f"Sus afirmaciones se apoyan en {_plural(e.figures, 'cifra concreta', 'cifras concretas')}{cited}, no en adjetivos."
    return Judgement(score, seen, praise, advice)


# The English clarity fixes (scoring.judge_clarity) and their Spanish words, by the English text's start.
CLARITY_FIXES = {
    "shorten sentences": "acorte las frases a menos de 20 palabras de media",
    "break up the longest": "parta las frases más largas",
    "split the": "divida la frase más larga",
    "name who acts": "diga quién actúa en lugar de usar la voz pasiva",
    "drop the hedges": "quite las atenuaciones y tome posición",
    "say what you believe": "diga lo que piensa: casi todas las frases se atenúan",
    "replace jargon": "cambie la jerga y el relleno por palabras sencillas",
    "write it as you would say it": "escríbalo como se lo diría a un compañero; la jerga oculta el sentido",
    "say what the jargon means": "diga qué significa la jerga, con las palabras del lector",
    "name the specifics": "concrete en lugar de usar palabras vagas como «cosas» o «algo»",
    "write full sentences": "escriba frases completas que digan qué pasa, no etiquetas ni eslóganes",
    "turn each label-colon line": "convierta cada línea de etiqueta y dos puntos en una frase con sujeto y verbo",
    "say in sentences what each label": "diga con frases qué significa cada etiqueta",
    "say concretely what each claim": "diga en concreto qué significa cada afirmación",
    "cut the": "quite las frases que repiten una afirmación anterior",
    "keep every sentence": "mantenga cada frase en su asunto",
    "use shorter, plainer words": "use palabras más cortas y sencillas",
    "write the memo in full sentences": "escriba el memorando en frases completas para que haya algo que leer",
}


def _clarity_advice(english: Judgement) -> str:
    for start, spanish in CLARITY_FIXES.items():
        if english.advice.lower().startswith(start):
            return spanish[0].upper() + spanish[1:] + "."
    return "Léalo en voz alta y quite cualquier frase que el lector no echaría de menos."


def clarity(f: MemoFeatures, score: int, english: Judgement) -> Judgement:
    c = f.clarity
    longest = c.longest.words if c.longest else 0
    ease = f" (perspicuidad {c.reading_ease:g})" if c.reading_ease is not None else ""
    seen = f"Las frases tienen {c.average_sentence_words:g} palabras de media{ease}."
    if longest > LONG_SENTENCE_WORDS:
        seen += f" La más larga, {quoted(c.longest, 8)}, llega a {longest} palabras."
    hedges = [m.group() for s in c.hedging for m in lx.HEDGE.finditer(s.text)]
    blur = [
        f"atenuaciones ({_listed(hedges)})" if c.hedge_words else "",
        f"jerga ({_listed(c.jargon_terms)})" if c.jargon_terms else "",
        f"palabras vagas ({_listed(c.vague_terms)})" if c.vague_terms else "",
        _plural(len(c.passive), "frase en pasiva", "frases en pasiva") if c.passive else "",
    ]
    blur = [b for b in blur if b]
    seen += f" Lo que enturbia el sentido: {'; '.join(blur)}." if blur else " Apenas hay atenuaciones, jerga o relleno."
    if _fragment_share(f) > FRAGMENT_SHARES[0]:
        seen += f" {_fragments_note(f)}"
    praise = f"Se lee con facilidad: las frases tienen {c.average_sentence_words:g} palabras de media y dicen las cosas claras."
    return Judgement(score, seen, praise, _clarity_advice(english))


def ask(f: MemoFeatures, score: int) -> Judgement:
    a = f.ask
    request = a.requests[0] if a.requests else None
    missing = [word for word, ok in (("cuánto", a.amount), ("para cuándo", a.deadline)) if not ok]
    if request is not None:
        seen = f"Su petición es {quoted(request)}"
        seen += f"; no dice {' ni '.join(missing)}." if missing else ", y dice cuánto y para cuándo."
        seen += " Aparece al principio." if a.up_front else " No está en el asunto ni al principio."
    elif a.tentative:
        seen = f"{quoted(a.tentative[0])} es un deseo más que una petición: el lector no puede decir que sí."
    else:
        seen = "Ninguna frase pide al lector una decisión, dinero o una acción."
    if not a.requests:
        advice = "Diga en una frase la decisión que quiere: «Solicito la aprobación de X para Y antes del Z»."
    elif not a.amount:
        advice = "Cuantifique la petición: cuánto dinero, cuántas personas o cuánto tiempo."
    elif not a.deadline:
        advice = "Dé una fecha para la decisión y diga qué pasa si llega más tarde."
    elif not a.up_front:
        advice = "Lleve la petición al asunto o a la primera frase, y repítala al cerrar."
    else:
        advice = "Diga qué pasa si la respuesta es no o llega tarde, para que el lector vea el coste de esperar."
    praise = f"El lector sabe exactamente qué quiere: {quoted(request, 10)}."
    return Judgement(score, seen, praise, advice)


def risks(f: MemoFeatures, score: int) -> Judgement:
    r = f.risks
    if r.risk_sentences:
        seen = f"Nombra {_plural(r.risks, 'riesgo')}, como {quoted(r.risk_sentences[0])}"
        seen += (
            f", y dice cómo lo gestionará ({quoted(r.mitigation_sentences[0], 8)})."
            if r.mitigation_sentences
            else ", pero no qué hará si ocurre."
        )
    else:
        seen = "Nada dice qué podría salir mal, así que el lector tiene que buscar los riesgos por su cuenta."
    seen += (
        f" Compara {_plural(r.alternatives, 'alternativa')}, así que el lector ve por qué esta opción."
        if r.alternatives
        else " No compara ninguna alternativa, ni siquiera no hacer nada."
    )
    if r.risks == 0:
        advice = "Nombre las dos o tres cosas que más probablemente saldrían mal y cuánto costaría cada una."
    elif r.mitigations == 0:
        advice = "Acompañe cada riesgo de una medida o un plan de contingencia, y de quién se encarga."
    elif r.alternatives == 0:
        advice = "Compare su propuesta con al menos una alternativa, incluida la de no hacer nada."
    else:
        advice = "Dimensione cada riesgo (probabilidad e impacto) para que el lector pueda sopesarlo."
    praise = f"Afronta los inconvenientes: {_plural(r.risks, 'riesgo')}, cada uno con lo que hará al respecto."
    return Judgement(score, seen, praise, advice)


def plan(f: MemoFeatures, score: int) -> Judgement:
    p = f.plan
    counts = {"timeline": p.timeline, "owners": p.owners, "resources": p.resources, "next steps": p.next_steps}
    counts["success measures"] = p.measures
    needed = {"timeline": 2, "owners": 1, "resources": 2, "next steps": 2, "success measures": 1}
    present = [PLAN_PARTS[name] for name, count in counts.items() if count >= needed[name]]
    missing = [part for part in PLAN_PARTS.values() if part not in present]
    if not present:
        seen = "Todavía no hay plan: nada dice quién hará qué y para cuándo."
    else:
        seen = f"El plan cubre {_listed(present, 5)}"
        seen += f"; {quoted(p.owner_sentence)} dice al lector quién actúa." if p.owner_sentence else "."
        if missing:
            seen += f" Aún no da {_listed(missing, 5)}."
    advice = (
        f"Añada lo que falta del plan: {', '.join(missing)}."
        if missing
        else "Añada una fecha de revisión para ver los resultados y decidir si se sigue."
    )
    praise = f"El plan es concreto: da {_listed(present, 5)}."
    return Judgement(score, seen, praise, advice)


def in_spanish(dimension: str, f: MemoFeatures, english: Judgement) -> Judgement:
    """The judgement's feedback in Spanish, with the score the English judge gave from the same features."""
    if dimension == "clarity":
        return clarity(f, english.score, english)
    return WRITERS[dimension](f, english.score)


WRITERS: dict[str, Callable[[MemoFeatures, int], Judgement]] = {
    "structure": structure,
    "evidence": evidence,
    "ask": ask,
    "risks": risks,
    "plan": plan,
}

# Segment comments: (comment, questions, suggestion) by the segments.py finder that picked the sentence.
Words = tuple[str, list[str], str]


def _term(pattern, sentence: Sentence) -> str:
    match = pattern.search(sentence.text)
    return match.group() if match else ""


def _buried(f: MemoFeatures, s: Sentence) -> Words:
    start = "piensa en voz alta" if f.structure.opening_rambles else "empieza con antecedentes"
    return (
        f"El memorando {start} en lugar de plantear la idea principal: quien lea solo esto no sabe qué quiere.",
        ["¿Qué decisión necesita, de quién y para cuándo?", "Si el lector leyera solo esta frase, ¿qué debería hacer?"],
        "Empiece con una frase que diga su recomendación y su petición; lleve estos antecedentes detrás.",
    )


def _unsupported(f: MemoFeatures, s: Sentence) -> Words:
    return (
        f"«{_term(lx.SWEEPING_CLAIM, s)}» es una afirmación que un lector escéptico pondrá en duda, y nada en esta frase la respalda.",
        ["¿Qué cifra o fuente lo demuestra?", "¿Comparado con qué punto de partida o periodo?"],
        "Cambie el adjetivo por la cifra y su origen, por ejemplo «pasó de A a B (fuente, fecha)».",
    )


def _long(f: MemoFeatures, s: Sentence) -> Words:
    return (
        f"Con {s.words} palabras es la frase más larga; el lector pierde el hilo pasadas unas 25.",
        ["¿Cuál es la única idea que debe transmitir esta frase?", "¿Dónde podría partirse en dos?"],
        "Divídala en frases de menos de 20 palabras: la idea principal primero y los detalles después.",
    )


def _passive(f: MemoFeatures, s: Sentence) -> Words:
    return (
        f"La pasiva («{_term(lx.PASSIVE, s)}») oculta quién actúa, y eso importa sobre todo en decisiones y responsables.",
        ["¿Quién lo hace o quién lo hizo?"],
        "Ponga a quien actúa como sujeto: «El equipo de finanzas aprobó...» en lugar de «Fue aprobado...».",
    )


def _hedging(f: MemoFeatures, s: Sentence) -> Words:
    return (
        f"La atenuación «{_term(lx.HEDGE, s)}» debilita la posición y deja al lector sin saber qué piensa usted.",
        ["¿Cuánta seguridad tiene, y qué le haría estar seguro?", "¿Hay una condición que pueda decir en su lugar?"],
        "Dígalo sin rodeos; si la incertidumbre es real, dé la condición o la probabilidad en lugar de atenuar.",
    )


def _jargon(f: MemoFeatures, s: Sentence) -> Words:
    term = _term(lx.JARGON, s)
    return (
        f"«{term}» es jerga o relleno: le cuesta tiempo al lector y dice poco.",
        ["¿Cómo se lo diría a un compañero de otro equipo?"],
        f"Quite «{term}» o cámbielo por una palabra sencilla y concreta.",
    )


def _incomplete_ask(f: MemoFeatures, s: Sentence) -> Words:
    missing = [m for m, ok in (("un importe", f.ask.amount), ("una fecha", f.ask.deadline)) if not ok]
    lacks = f"le falta{'n' if len(missing) > 1 else ''} {' y '.join(missing)}"
    return (
        f"Esta es su petición, pero {lacks}, así que el lector no puede decir simplemente que sí.",
        ["¿Cuánto exactamente: dinero, personas o tiempo?", "¿Para qué fecha necesita la decisión?"],
        "Reescríbala como una petición completa: qué, cuánto, a quién y para cuándo.",
    )


def _unmitigated(f: MemoFeatures, s: Sentence) -> Words:
    return (
        "Nombra un riesgo sin decir cómo se reducirá o se gestionará.",
        ["¿Qué probabilidad tiene y cuánto costaría?", "¿Qué hará si ocurre?"],
        "Añada la medida y su responsable, por ejemplo «Para limitarlo, haremos ... (responsable, fecha)».",
    )


def _strong_opening(f: MemoFeatures, s: Sentence) -> Words:
    complete = lx.NUMBER.search(s.text) and lx.DEADLINE.search(s.text)
    question = (
        "¿Qué pasa si el lector dice que no o decide tarde?" if complete else "¿Dice también cuánto y para cuándo?"
    )
    return (
        "Un buen comienzo: pone la idea principal primero, así que el lector sabe para qué es el memorando.",
        [question],
        "Manténgalo al principio; asegúrese de que el asunto diga lo mismo en pocas palabras.",
    )


def _figure(f: MemoFeatures, s: Sentence) -> Words:
    return (
        "Bien: una cifra concreta. Quien tenga que decidir querrá saber de dónde sale.",
        ["¿De dónde sale esta cifra y de cuándo es?"],
        "Añada la fuente y la fecha en pocas palabras, por ejemplo «(contabilidad, marzo)».",
    )


def _closing(f: MemoFeatures, s: Sentence) -> Words:
    return (
        "La última frase es la que el lector recuerda; es el sitio para repetir la petición y el siguiente paso.",
        ["¿Dice esta frase al lector qué hacer a continuación?"],
        "Termine con la decisión que necesita y la fecha, por ejemplo «Le ruego que lo apruebe antes del viernes para empezar el lunes».",
    )


def _any(f: MemoFeatures, s: Sentence) -> Words:
    return (
        "Ponga a prueba esta frase frente al propósito del memorando: ¿ayuda al lector a decidir?",
        ["¿Qué perdería el lector si se quitara esta frase?"],
        "Manténgala solo si apoya la recomendación; si no, quítela o llévela a un anexo.",
    )


SEGMENT_WORDS: dict[str, Callable[[MemoFeatures, Sentence], Words]] = {
    "buried_opening": _buried,
    "unsupported_claim": _unsupported,
    "long_sentence": _long,
    "passive_sentence": _passive,
    "hedging_sentence": _hedging,
    "jargon_sentence": _jargon,
    "incomplete_ask": _incomplete_ask,
    "unmitigated_risk": _unmitigated,
    "strong_opening": _strong_opening,
    "figure_without_source": _figure,
    "closing_sentence": _closing,
    "any_sentence": _any,
}


def segment_feedback(f: MemoFeatures) -> list[SegmentFeedback]:
    """segments.segment_feedback's choice of sentences, each commented in Spanish."""
    picked: dict[int, SegmentFeedback] = {}
    finders = segments.PROBLEM_FINDERS + segments.PRAISE_FINDERS
    for finder in finders:
        if len(picked) >= segments.MAX_SEGMENTS or (
            finder in segments.PRAISE_FINDERS and len(picked) >= segments.MIN_SEGMENTS
        ):
            break
        found = finder(f, set(picked))
        if found is not None:
            sentence, english = found
            comment, questions, suggestion = SEGMENT_WORDS[finder.__name__](f, sentence)
            picked[sentence.start] = english.model_copy(
                update={"comment": comment, "questions": questions, "suggestion": suggestion}
            )
    return [feedback for _, feedback in sorted(picked.items())]
