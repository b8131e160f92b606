"""The Spanish words and patterns the memo coach listens for: the same names as lexicon.py, so the
analyzer reads a Spanish memo with the same logic (languages.py picks the lexicon).

A test checks that this module defines every public name lexicon.py defines, so the two cannot
drift. The rules of lexicon.py hold here too: case-insensitive patterns are written in lower case,
phrases match whole words, and no pattern matches across a NUL.

Spanish says the future with an ending ("migraremos", "firmará"), not a word like "will", so the
commitment, future and owner patterns look for those endings.
"""

from __future__ import annotations

# The two lexicons have the same names in the same order by design; pylint reads their word lists as
# docstrings and so sees the bare names and brackets as copied code.
# pylint: disable=duplicate-code
import re

# WORD_RUN is shared: a run of word characters is the same in both languages.
from memo_coach.coaching.offline.lexicon import WORD_RUN, number_pattern, words_pattern  # noqa: F401

CUE_WORDS: set[str] = set()
FIRST_WORDS: dict[re.Pattern[str], frozenset[str]] = {}


def _words(phrases: str) -> re.Pattern[str]:
    return words_pattern(phrases, CUE_WORDS, FIRST_WORDS)


def _split(words: str) -> list[str]:
    return words.split()


_MONTH = r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|se(?:p)?tiembre|octubre|noviembre|diciembre)"
_WEEKDAY = r"(?:lunes|martes|miércoles|miercoles|jueves|viernes)"
# A verb in the future tense: "firmaré", "migraremos", "firmará", "tendrán". "-remos" needs the vowel or
# consonant before it that a future has, so "extremos" is not one.
_FUTURE_VERB = r"\w+(?:ré|rás|rá|[aeidbr]remos|réis|rán)"
_FIRST_PERSON_FUTURE = r"\w+(?:ré|[aeidbr]remos)"

# Evidence: "18.000 EUR", "4,1 horas", "15 %", "el 15 de abril de 2024".
NUMBER = number_pattern(
    "un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve",
    "diez|once|doce|trece|catorce|quince|dieci\\w+|veinte|veinti\\w+|treinta|cuarenta|cincuenta|sesenta|setenta"
    "|ochenta|noventa|cien|(?<!por )ciento|\\w+cientos|\\w+cientas|quinientos|mil|millón|millones",
    "y",
    r"por ciento\b|puntos porcentuales\b",
    r"(?:la mitad|un tercio|un cuarto|dos tercios|tres cuartos)(?=\s+de\b)",
)
YEAR = re.compile(r"(?<![\w.,$€£])(?:19|20)\d{2}(?!\w|[.,]\d)")
PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s?(?:%|por ciento\b|puntos porcentuales\b|puntos? básicos?\b)", re.IGNORECASE)
MONEY = re.compile(
    r"(?:[$€£]|\b(?:usd|eur|gbp)\s?)\d[\d,.]*(?:\s?(?:k|m|mill(?:ón|ones)|mil)\b)?"
    r"|\b\d[\d,.]*\s?(?:mil\s+|mill(?:ón|ones)\s+(?:de\s+)?)?(?:[mk]?€|usd\b|eur\b|gbp\b|euros?\b|dólares\b|libras\b)",
    re.IGNORECASE,
)
DATE = re.compile(
    r"\b(?:\d{1,2}\s+de\s+" + _MONTH + r"(?:\s+de(?:l)?\s+\d{4})?"
    r"|" + _MONTH + r"\s+de(?:l)?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}"
    r"|(?:primer|segundo|tercer|cuarto)\s+trimestre|t[1-4]\s?'?\d{0,4}"
    r"|(?:19|20)\d{2}"
    r"|" + _WEEKDAY + r""
    r"|(?:finales|principios|mediados|final|fin) de(?:l)? (?:la )?(?:semana|mes|trimestre|año|" + _MONTH + r"))\b",
    re.IGNORECASE,
)
_SOURCE_NOUN = (
    r"(?:informes?|encuestas?|estudios?|auditorías?|comparativas?|paneles?|cuadros? de mando|análisis|facturas?"
    r"|libros? de cuentas|contabilidad|censo|registros?|datos|recibos|extractos?|presupuestos|cartas?|calendario"
    r"|actas|entrevistas|base de datos|exportaciones?|gartner|forrester|mckinsey|ine|eurostat)"
)
# A named source: "según", "fuente:", a source noun, or a parenthesis that names one or dates the figure.
SOURCE = re.compile(
    r"\b(?:según|fuentes?\s*:|datos de\b|con datos de\b|a partir de (?:los|las) datos)"
    r"|\b" + _SOURCE_NOUN + r"\b"
    r"|\((?=[^()\x00]*\b(?:" + _SOURCE_NOUN + "|" + _MONTH + r"|t[1-4]|(?:19|20)\d{2})\b)[^()\x00]{3,80}\)"
    r"|https?://[^\s\x00]+|\[\d+\]",
    re.IGNORECASE,
)
SWEEPING_CLAIM = _words(
    """
    significativo, significativa, significativamente, enorme, enormes, masivo, masiva, drásticamente,
    sustancialmente, claramente, obviamente, evidentemente, todo el mundo, siempre, nunca, el mejor,
    la mejor, el peor, mucho mejor, muchísimo, muchísimos, tremendo, tremenda, crítico, crítica, imprescindible,
    infinidad, todos los clientes, nadie, revolucionario, sin precedentes, como es bien sabido
    """
)
VAGUE = _words(
    """
    cosas, algo, varios, varias, en algún momento, algún día, más adelante, de alguna manera, de alguna forma,
    etc, y tal, o algo así, algo así, lo que sea, un montón, un poco, ya veremos, lo vamos viendo, cuanto antes,
    cuando haya tiempo, algunas cosas, en su momento
    """
)
# An opening that thinks aloud instead of stating the point.
RAMBLE = re.compile(
    r"^(?:bueno|pues|en fin|básicamente|a ver|como (?:ya )?(?:sabéis|saben|sabes|sabrán|muchos sabéis)"
    r"|llevo (?:un )?tiempo pensando|he estado pensando|estaba pensando|solo quería|quería comentar"
    r"|(?:os|les|te|le) escribo porque|hace tiempo que)\b",
    re.IGNORECASE,
)

# Clarity
PASSIVE = re.compile(
    r"\b(?:es|son|fue|fueron|era|eran|será|serán|sido|ser|siendo|sea|sean)\s+(?:\w+mente\s+)?"
    r"(?:\w{2,}(?:ado|ada|ados|adas|ido|ida|idos|idas)|hech[oa]s?|dich[oa]s?|escrit[oa]s?|puest[oa]s?|vist[oa]s?"
    r"|abiert[oa]s?|cubiert[oa]s?|rot[oa]s?|vuelt[oa]s?|resuelt[oa]s?)\b",
    re.IGNORECASE,
)
NOT_PASSIVE = _words(
    """
    es complicado, es complicada, es adecuado, es adecuada, es limitado, es elevado, es elevada, es moderado,
    es delicado, es privado, es necesario, son necesarios, es decir, es cuestión, está pensado, ha sido
    """
)
HEDGE = _words(
    """
    quizás, quizá, tal vez, a lo mejor, posiblemente, probablemente, puede que, podría ser, creo, creo que,
    creemos, pienso, me parece, parece, parece que, en cierto modo, de alguna manera, más o menos, no sé,
    no estoy seguro, no estoy segura, supongo, en principio, bastante, relativamente, aparentemente,
    sería bueno, estaría bien, habría que ver, en cierta medida, un poco
    """
)
JARGON = _words(
    """
    sinergia, sinergias, apalancar, paradigma, holístico, holística, proactivo, proactiva, disruptivo,
    disruptiva, transversal, empoderar, empoderamiento, ecosistema, robusto, robusta, excelencia operativa,
    mejores prácticas, buenas prácticas, valor añadido, poner en valor, a nivel de, en base a, de cara a,
    optimizar, potenciar, impulsar, alinear, alineamiento, escalable, centrado en el cliente, visión holística,
    iniciativa integral, transformación digital, stakeholders, feedback, engagement, know-how, win-win,
    muy, realmente, totalmente, absolutamente, innovación, innovador, innovadora, eficiencia, excelencia
    """
)

# The ask
REQUEST = _words(
    """
    solicito, solicitamos, solicitar, solicitud, pido, pedimos, le pido, les pido, aprobar, apruebe, aprueben,
    aprobación, autorizar, autorice, autoricen, autorización, recomiendo, recomendamos, recomendación,
    propongo, proponemos, necesito su, necesitamos su, necesito que, necesitamos que, necesitamos, decidir,
    decisión, financiar, financiación, asignar, luz verde, visto bueno, por favor confirme, por favor apruebe,
    nos gustaría, me gustaría, sería genial si, podríamos, deberíamos, debemos, os pido, te pido, apruebes,
    aprobéis, aprobad, autorices, autoricéis, os propongo, te propongo, le propongo, les propongo, necesito tu,
    necesito vuestra, necesitamos tu, necesitamos vuestra
    """
)
DEADLINE = re.compile(
    r"\b(?:antes del?|a más tardar el|no más tarde del?|como (?:muy )?tarde el|hasta el|para el|plazo(?: de)?)\b"
    r"\s+(?:el\s+|la\s+)?"
    r"(?:\w+\s+)?(?:\d|" + _MONTH + r"|" + _WEEKDAY + r"|fin|final|finales|próxim[oa]|esta|este|mañana|t[1-4])"
    r"|\bfecha límite\b",
    re.IGNORECASE,
)
# What hangs on the answer: "para que el cambio esté listo antes de otoño", "si no, perdemos el descuento".
ASK_STAKES = re.compile(
    r"\b(?:si no|de lo contrario|en caso contrario|sin (?:una|esta|su) (?:decisión|aprobación)|a tiempo (?:para|de)"
    r"|para que|para poder|para no perder|o perderemos|perderíamos|perderemos|antes de que)\b",
    re.IGNORECASE,
)

# Risks
RISK = _words(
    """
    riesgo, riesgos, arriesgado, inconveniente, inconvenientes, desventaja, desventajas, amenaza, exposición,
    dependencia, dependencias, podría retrasar, podría fallar, puede fallar, si falla, en el peor de los casos,
    incertidumbre, incierto, coste de no hacer nada, si no hacemos nada, vulnerable, bajas, rotación,
    sobrecoste, sobrecostes, retraso, retrasos, qué podría salir mal, fallo, fallos, penalización, interrupción,
    interrupciones, caída, caídas, costes ocultos, curva de aprendizaje, podría tardar más
    """
)
MITIGATION = _words(
    """
    mitigar, mitiga, mitigación, mitigaremos, contingencia, plan b, respaldo, copia de seguridad, salvaguarda,
    para reducir, reducir el riesgo, para limitarlo, para limitar, para evitarlo, para evitar, vigilaremos,
    supervisaremos, marcha atrás, volveremos, revertir, colchón, piloto, prueba piloto, cláusula de salida,
    tope, limitar, en paralelo, por fases, escalonado, escalonada, punto de control, proteger
    """
)
ALTERNATIVE = _words(
    """
    alternativa, alternativas, opción, opciones, en lugar de, en vez de, comparado con, en comparación con,
    también consideramos, también valoramos, también estudiamos, no hacer nada, statu quo, status quo
    """
)

# A contingency: "si la rotación supera el 5 %, ofreceremos una tarifa fija".
CONTINGENCY = re.compile(r"\bsi\b[^.;\x00]{3,100}?,\s*(?:\w+\s+){0,3}?" + _FUTURE_VERB + r"\b", re.IGNORECASE)
# A risk said with a modal verb: "la migración podría fallar", "puede que los costes superen".
RISK_MODAL = re.compile(
    r"\b(?:puede(?:n)?|podría(?:n)?|puede que)\s+(?:no\s+)?(?:\w+\s+)?(?:fall|retras|super|exced|perd|empeor|romp"
    r"|tard|rechaz|resist|baj|caer|cuest|salir mal|ha(?:ber|bía|brá|ya)\s+(?:algún\s+)?problema)\w*\b",
    re.IGNORECASE,
)

# Plan
# When a step happens, said without a full date: "en octubre", "en seis semanas", "cada trimestre".
SCHEDULE = re.compile(
    r"\b(?:en|desde|hasta|antes de|después de|a partir de|durante|dentro de|cada)\s+(?:el\s+|la\s+|los\s+|las\s+)?"
    r"(?:(?:primer[oa]s?|próxim[oa]s?)\s+)?(?:" + _MONTH + r"\b|(?:\d+|dos|tres|cuatro|cinco|seis|siete|ocho|nueve"
    r"|diez|doce)\s+(?:días|semanas|meses|trimestres|años)\b)|\bcada\s+(?:día|semana|mes|trimestre|año)\b",
    re.IGNORECASE,
)
COMMITMENT = re.compile(r"\b(?:" + _FIRST_PERSON_FUTURE + r"|vamos a|voy a)\b", re.IGNORECASE)
# A sentence about what will happen (the plan), not what has happened (the evidence).
FUTURE = re.compile(
    r"\b(?:" + _FUTURE_VERB + r"|vamos a|voy a|va a|van a|está previst[oa]|se prevé|empieza|comienza|arranca"
    r"|a partir del?|responsable|se encarga)\b",
    re.IGNORECASE,
)
TIMELINE = _words(
    """
    semana, semanas, mes, meses, trimestre, hito, hitos, fase, fases, calendario, cronograma, plazo, plazos,
    lanzamiento, puesta en marcha, arranque, día, días, sprint, quincena
    """
)
_NOT_A_NAME = (
    r"(?:Si|También|Después|Luego|Así|Esto|Eso|Ello|Nadie|Todo|Todos|Nosotros|Yo|Él|Ella|Ellos|Usted|Ustedes|No"
    r"|Se|Lo|La|El|Los|Las|Le|Les|Nos|Me|Esta|Este|Que|Cuando|Mientras|Ya|Para|Con|En|Por)"
)
OWNER = re.compile(
    r"(?i:\b(?:responsable|responsables|a cargo de|se encarga(?:rá)?|me encargaré|nos encargaremos|lidera(?:rá)?"
    r"|dirigirá|coordinará|yo me|dueño del?)\b)"
    r"|\b(?!" + _NOT_A_NAME + r"\b)[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(?: [A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)?\s+"
    r"(?:\([^)\x00]{1,30}\)\s+)?\w+(?:rá|rán)\b"
    r"|(?i:\b(?:finanzas|recursos humanos|rr\.? ?hh|legal|jurídico|compras|ingeniería|ventas|marketing|operaciones"
    r"|sistemas|administración|recepción|el equipo de \w+|el departamento de \w+)\s+\w+(?:rá|rán)\b)",
)
RESOURCE = _words(
    """
    presupuesto, plantilla, personas, contratación, contratar, personal, horas, coste, costes, costo, costos,
    licencia, licencias, herramientas, contratista, contratistas, inversión, recursos, equipo de, gasto, gastos
    """
)
NEXT_STEP = re.compile(
    _words(
        """
        siguiente paso, siguientes pasos, próximos pasos, próximo paso, plan de acción, acciones, tras la aprobación,
        una vez aprobado, una vez aprobada, si lo aprueban, si lo aprueba, si se aprueba, plan, el plan,
        hoja de ruta
        """
    ).pattern
    + r"|\b"
    + _FIRST_PERSON_FUTURE
    + r"\b",
    re.IGNORECASE,
)
SUCCESS_MEASURE = _words(
    """
    indicador, indicadores, kpi, kpis, métrica, métricas, medir, mediremos, medida, éxito, objetivo, objetivos,
    meta, metas, revisión, revisar, revisaremos, seguimiento, punto de control, referencia, okr, okrs
    """
)

# Structure: an opening that states the point.
BOTTOM_LINE = _words(
    """
    recomiendo, recomendamos, recomendación, solicito, solicitamos, solicitud, propongo, proponemos, propuesta,
    pido, pedimos, le pido, les pido, aprobación, apruebe, aprueben, decisión, en resumen, en pocas palabras,
    conclusión, resumen, necesitamos decidir, necesito su, necesitamos su
    """
)
SUMMARY_HEADING = _words(
    """
    resumen, resumen ejecutivo, conclusión, recomendación, la petición, petición, solicitud, decisión necesaria,
    propósito, en resumen, propuesta
    """
)

# Substance: what must stand behind a cue before it counts (features.py, substance.py).

# A label and a colon at the start of a line ("Riesgo:", "Siguientes pasos:").
LABEL = re.compile(r"^[^\W\d_][\w'’&/-]*(?:[ \t]+[\w'’&/-]+){0,2}[ \t]*:(?=\s)")
# A line that opens with its date, "2 de junio: empieza Lena" or "El 3 de junio, Ana forma": a dated plan step.
DATED_STEP = re.compile(
    r"^(?:(?:el|desde el|antes del|para el|hacia el|la semana del?)\s+)?(?:\d{1,2}\s+de\s+"
    + _MONTH
    + r"|semana\s+\d+|t[1-4]|\d{4}-\d{2}-\d{2}|"
    + _WEEKDAY
    + r")\b[^\x00]{0,12}?[:,–-]",
    re.IGNORECASE,
)
# The past, which a plan step is not: "se registraron", "bajó", "hemos recibido", "fue".
PAST = re.compile(
    r"\b(?:fue|fueron|era|eran|había|habían|hubo|hemos|han|ha|\w{3,}(?:aron|ieron|ó|amos pasado)|\w{2,}ado|\w{2,}ido)\b",
    re.IGNORECASE,
)
# An approval the plan waits on: "Si lo aprueban, firmaré el 3 de marzo" is the plan, not the ask.
ON_APPROVAL = re.compile(
    r"\b(?:si|una vez|cuando|tras|en cuanto)\s+(?:lo |la |se )?(?:aprueban?|aprobado|aprobada|aprueben|apruebe)\b"
    r"|\b(?:tras|después de) (?:la|su) aprobación\b",
    re.IGNORECASE,
)
# An uncertain event, not risk as a topic: "el riesgo es que...", "podría retrasar", "si el proveedor falla".
RISK_EVENT = re.compile(
    r"\b(?:puede|pueden|podría|podrían|si|salvo que|a menos que|en caso de|en el peor de los casos"
    r"|riesgos?(?: principal| principales| mayor)? (?:es|son|de|que|sería|está en)|peligro|posibilidad)\b|\briesgo:",
    re.IGNORECASE,
)
FUNCTION_WORDS = frozenset(
    _split(
        """
    el la los las lo un una unos unas este esta estos estas ese esa esos esas aquel aquella ello ellos ellas
    nosotros nosotras vosotros usted ustedes yo tú él ella me te se nos os le les mi mis tu tus su sus nuestro
    nuestra nuestros nuestras que quien quienes cual cuales cuyo cuya y e o u ni pero sino si entonces que
    como de del a al en por para con sin sobre entre hacia hasta desde durante mediante según tras ante bajo
    cada todo toda todos todas algún alguno alguna algunos algunas ningún ninguna no solo sólo también incluso
    aproximadamente casi unas cerca es son fue fueron ser sido siendo está están estaba estar ha han había
    hemos haber hay habrá será serán puede pueden podría podrían debe deben más menos mucho mucha muchos
    muchas poco pocos varios varias otro otra otros otras mismo misma tal tan tanto algo nada alguien nadie
    todo cuando mientras porque ya donde aunque salvo
    """
    )
)
CHANGE_WORDS = frozenset(
    _split(
        """
    mejora mejoró mejoraron aumenta aumentó aumentaron sube subió subieron crece creció crecieron baja bajó
    bajaron cae cayó cayeron disminuye disminuyó disminuyeron reduce redujo redujeron recorta recortó pasa pasó
    pasaron llega llegó alcanza alcanzó supera superó superaron
    """
    )
)
GENERIC_MEASURES = frozenset(
    _split(
        """
    mejora mejoras impacto impactos crecimiento valor valores resultado resultados eficiencia eficiencias
    ganancia ganancias rendimiento éxito aumento retorno beneficio beneficios ahorro ahorros objetivo
    objetivos meta metas indicador indicadores número números cifra cifras tasa tasas nivel niveles
    productividad sinergia sinergias mejor
    """
    )
)
# Whole populations and markets: "el 87 % de las empresas"; a statistic of the industry, not of this case.
POPULATIONS = frozenset(
    _split(
        "empresas compañías organizaciones firmas negocios directivos ejecutivos líderes encuestados consumidores "
        "mercado mercados sector sectores industria"
    )
)
OURS = frozenset(_split("nosotros nuestro nuestra nuestros nuestras nos yo mi mis"))
NUMBER_LABELS = frozenset(
    _split(
        "semana semanas día días fase fases paso pasos etapa etapas sprint ola opción opciones versión punto "
        "puntos número nivel página sección capítulo sala planta edificio anexo tabla núm"
    )
)
UNITS = frozenset(_split("% x k m mil millón millones por ciento de del al cada un una eur euros € veces"))
VAGUE_QUALIFIERS = frozenset(
    _split(
        """
    último última últimos reciente recientes nuevo nueva interno interna externo externa sector varios varias
    oficial anual independiente completo completa final inicial borrador detallado clave disponible público
    pública muestra muestran mostró ver revisar revisado recogido propio propia fuente fuentes según datos
    """
    )
)
EMPTY_ACTIONS = frozenset(
    _split(
        """
    gestionar gestionaremos gestionado gestionada gestiona mitigar mitigado mitigada mitigaremos abordar
    abordaremos abordado tratar trataremos vigilar vigilaremos controlar controlaremos seguir seguiremos
    ocuparemos ocuparse encargaremos encargaré haremos hacer necesario necesaria oportuno oportuna cuidado
    atentos resolver resolveremos resuelto asegurar aseguraremos tema temas problema problemas asunto asuntos
    cuestión situación lo la ello todo
    """
    )
)
SOURCE_NOUN = re.compile(_SOURCE_NOUN, re.IGNORECASE)
# The words that link a source noun to the name after it: "el informe de Finanzas", "los datos del ERP".
SOURCE_LINKS = frozenset(("de", "del", "por"))

# Function words that say nothing about a memo's subject (with CUE_WORDS, excluded from its topic).
_STOPWORDS = """
    para como pero porque sobre entre desde hasta cuando donde este esta estos estas aquel aquella todo toda
    todos todas otro otra otros otras mismo misma también tampoco ahora antes después luego siempre nunca solo
    sólo más menos mucho mucha muchos muchas poco poca pocos pocas algo algún alguno alguna algunos algunas nada
    nadie cada cual cuales quien quienes cuyo tener tiene tienen tenemos tengo hacer hace hacen hacemos hago
    estar está están estamos estoy será serán sería sido haber había habría hemos puede pueden podemos podría
    podrían debe deben debemos debería quiero queremos creo creemos saber sabéis sabemos vamos semana semanas
    meses años días equipo equipos gente personas hola saludos gracias saludo buenos buenas estimado estimada
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre lunes
    martes miércoles jueves viernes sábado domingo nuestro nuestra nuestros nuestras vuestro vuestra suyo suya
    usted ustedes ellos ellas nosotros vosotros esto aquí allí así bien bueno buena mejor peor gran grande
    primero primera segundo segunda tercero mitad favor según tras durante mediante contra hacia aunque mientras
    sino pues entonces además incluso casi bastante demasiado tanto tanta tantos cómo cuál cuándo dónde verdad
    parte forma manera tiempo caso vez veces otro unos unas desde dentro fuera tema asunto
    """
STOPWORDS = frozenset(_split(_STOPWORDS))
