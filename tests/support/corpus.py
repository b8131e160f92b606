"""The labelled memo corpus (tests/corpus): loading it, scoring it, and the numbers it is judged by.

Shared by the regression test (tests/unit/coaching/test_corpus.py) and `make bench`, so both
measure the same thing the same way. The held-out set is reported only in aggregate (rank
correlation, the adversarial gap, counts): its authors keep per-memo scores away from whoever
tunes the analyzer (tests/corpus/README.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from memo_coach.coaching.offline.features import extract_features
from memo_coach.coaching.offline.languages import speaking
from memo_coach.coaching.offline.scoring import JUDGES, judge
from memo_coach.coaching.result import EvaluationResult, weighted_score
from memo_coach.coaching.rubric import Rubric

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
REPO = CORPUS.parents[1]
FORMATS = {".md": "markdown", ".txt": "plain text", ".eml": "email"}
PARTS = ("dev", "heldout")
LANGUAGES = ("en", "es")
# What every label of a set must say: the dev set is tuned per dimension, the held-out set is not.
REQUIRED = {"dev": ("quality", "bands"), "heldout": ("quality", "adversarial")}
STRONG_QUALITY = 4


@dataclass(frozen=True)
class LabelledMemo:
    name: str
    format: str
    text: str
    quality: float
    bands: dict[str, tuple[int, int]]  # analyzer dimension -> (lowest, highest) fair score; may be empty
    adversarial: bool
    known_misses: dict[str, str]  # dimension -> why the analyzer still disagrees
    language: str = "en"

    @property
    def strong(self) -> bool:
        return self.quality >= STRONG_QUALITY


def _memo(name: str, path: Path, label: dict) -> LabelledMemo:
    return LabelledMemo(
        name=name,
        format=FORMATS[path.suffix],
        text=path.read_text(encoding="utf-8"),
        quality=float(label["quality"]),
        bands={dim: (lo, hi) for dim, (lo, hi) in label.get("bands", {}).items()},
        adversarial=bool(label.get("adversarial", False)),
        known_misses=dict(label.get("known_misses", {})),
        language=label.get("language", "en"),
    )


def load_corpus(part: str = "dev") -> list[LabelledMemo]:
    """One set of the corpus: "dev" (tuned on) or "heldout" (never read while tuning, see tests/corpus/README.md)."""
    labels = yaml.safe_load((CORPUS / part / "labels.yaml").read_text(encoding="utf-8")) or {}
    files = {p.stem: p for p in (CORPUS / part / "memos").iterdir() if not p.name.startswith(".")}
    missing = sorted(set(labels) ^ set(files))
    if missing:
        raise ValueError(f"memos without labels or labels without memos: {missing}")
    incomplete = sorted(name for name, label in labels.items() if any(key not in label for key in REQUIRED[part]))
    if incomplete:
        raise ValueError(f"labels in {part} without {' or '.join(REQUIRED[part])}: {incomplete}")
    unknown = sorted(name for name, label in labels.items() if label.get("language", "en") not in LANGUAGES)
    if unknown:
        raise ValueError(f"labels with a language other than {LANGUAGES}: {unknown}")
    return [_memo(name, files[name], label) for name, label in labels.items()]


def default_rubric() -> Rubric:
    return Rubric.model_validate(yaml.safe_load((REPO / "config" / "rubric.yaml").read_text(encoding="utf-8")))


def dimension_scores(text: str, language: str = "en") -> dict[str, int]:
    """The analyzer's 1..5 score for every dimension, before any rubric maps it, read in `language`."""
    with speaking(language):
        features = extract_features(text)
        return {dim: judge(dim, features).score for dim in JUDGES}


@dataclass(frozen=True)
class Scored:
    """A memo with the offline coach's answer; the evaluator detects the memo's language itself."""

    memo: LabelledMemo
    result: EvaluationResult
    overall: float


def score_memos(evaluator, memos: list[LabelledMemo], rubric: Rubric) -> list[Scored]:
    scored = []
    for memo in memos:
        result = evaluator.evaluate(memo.text, rubric).result
        scored.append(Scored(memo, result, weighted_score(result, rubric)))
    return scored


def ranks(values: list[float]) -> list[float]:
    """1-based ranks; tied values share the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation: Pearson's correlation of the ranks (handles ties)."""
    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sx = sum((a - mx) ** 2 for a in rx) ** 0.5
    sy = sum((b - my) ** 2 for b in ry) ** 0.5
    return round(cov / (sx * sy), 3) if sx and sy else 0.0


def agreement(scored: list[Scored]) -> dict:
    """Aggregates only: how the scores rank against the labels, and how far the best adversarial
    memo stays below the weakest strong one (`gap`; the issue asks for at least 1.0)."""
    adversarial = [s.overall for s in scored if s.memo.adversarial]
    strong = [s.overall for s in scored if s.memo.strong]
    adversarial_max = max(adversarial, default=None)
    strong_min = min(strong, default=None)
    both = adversarial_max is not None and strong_min is not None
    overall, quality = [s.overall for s in scored], [s.memo.quality for s in scored]
    return {
        "memos": len(scored),
        "adversarial": len(adversarial),
        "strong": len(strong),
        "spearman": spearman(overall, quality) if len(scored) > 1 else None,
        "adversarial_max": adversarial_max,
        "strong_min": strong_min,
        "gap": round(strong_min - adversarial_max, 2) if both else None,
    }


def gap_breakers(scored: list[Scored], min_gap: float) -> list[str]:
    """Names of the adversarial memos that come within `min_gap` of the weakest strong memo."""
    strong_min = min((s.overall for s in scored if s.memo.strong), default=None)
    if strong_min is None:
        return []
    return sorted(s.memo.name for s in scored if s.memo.adversarial and s.overall > strong_min - min_gap)


def by_language(scored: list[Scored]) -> dict[str, list[Scored]]:
    return {lang: [s for s in scored if s.memo.language == lang] for lang in LANGUAGES}


# --- Quotes: every passage the coach quotes must be the writer's words, and worth quoting.

# A quoted passage inside the coach's prose: "..." or “...”, cut with an ellipsis when long.
_DOUBLE_QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”')
# A term quoted in a comment ('are tired'): opened after a space or bracket, closed before punctuation.
_SINGLE_QUOTED = re.compile(r"(?:^|(?<=[\s(]))'([^'\n]+?)'(?=[\s.,;:!?)]|$)")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)$")
_GREETING = (
    r"(?i:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|hola|buenas|buenos días|"
    r"buenas tardes|estimad[oa]s?|querid[oa]s?)"
)
_SIGN_OFF = (
    r"(?i:best|best regards|kind regards|regards|warm(?:est)? regards|thanks|thank you|many thanks|cheers|"
    r"sincerely|yours|un saludo|un cordial saludo|saludos|atentamente|gracias|muchas gracias)"
)
_CAPITALISED = r"[A-ZÁÉÍÓÚÑ][\w.'-]*"
_BARE = re.compile(
    rf"{_GREETING},?(?:\s+[\w.'-]+){{0,3}}\s*[,:!.]?"  # "Hi Ken,", "Dear Mr. Harrison,", "Hola a todos:"
    rf"|{_SIGN_OFF}[,!.]?(?:\s+{_CAPITALISED}){{0,3}}\s*[,.]?"  # "Thanks,", "Best regards, Andrzej Kowalczyk"
    rf"|{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}}\s*[,:]"  # "Tom,", "Dr. Okafor,", "Javier:"
)
BARE_WORDS = 5  # a greeting or sign-off line longer than this carries content of its own


def is_bare_salutation(passage: str) -> bool:
    """A greeting ("Hi Ken,"), a sign-off ("Best regards, Andrzej") or a bare name line ("Javier:"):
    nothing a comment about the memo's substance can rest on."""
    text = passage.strip()
    return len(text.split()) <= BARE_WORDS and _BARE.fullmatch(text) is not None


def prose_quotes(result: EvaluationResult) -> list[str]:
    """Passages the coach quotes inside its strengths, opportunities, justifications and comments."""
    prose = [*result.strengths, *result.opportunities, *(s.justification for s in result.rubric_scores)]
    prose += [f.comment for f in result.segment_feedback]
    found = [a or b for text in prose for a, b in _DOUBLE_QUOTED.findall(text)]
    return [_ELLIPSIS.sub("", q).strip() for q in found]


def quoted_terms(result: EvaluationResult) -> list[str]:
    """Words a comment singles out ('are tired'): they must be in the memo, and may be any word."""
    return [term for f in result.segment_feedback for term in _SINGLE_QUOTED.findall(f.comment)]


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def quote_problems(memo: str, result: EvaluationResult) -> list[str]:
    """What is wrong with the coach's quotes of this memo ("not in the memo", "a bare greeting"),
    without the quotes themselves, so a report of the held-out set does not show its text.

    Segment quotes are highlighted on the page, so they must be exact substrings; quotes in prose
    are shown on one line, so they are compared with runs of white space squeezed to one space."""
    problems = []
    for feedback in result.segment_feedback:
        if feedback.quote not in memo:
            problems.append("a comment's quote is not in the memo")
        elif is_bare_salutation(feedback.quote):
            problems.append("a comment is anchored on a greeting or sign-off")
    squeezed = _squeezed(memo)
    for passage in prose_quotes(result):
        if not passage or _squeezed(passage) not in squeezed:
            problems.append("a passage quoted in the feedback is not in the memo")
        elif is_bare_salutation(passage):
            problems.append("the feedback quotes a greeting or sign-off")
    problems += ["a word a comment quotes is not in the memo" for term in quoted_terms(result) if term not in memo]
    return problems


def quote_breakers(scored: list[Scored]) -> dict[str, list[str]]:
    """Memo name -> the kinds of quote problem found (each kind once)."""
    found = {s.memo.name: sorted(set(quote_problems(s.memo.text, s.result))) for s in scored}
    return {name: kinds for name, kinds in found.items() if kinds}


def _formats(memos: list[LabelledMemo]) -> dict[str, int]:
    formats: dict[str, int] = {}
    for m in memos:
        formats[m.format] = formats.get(m.format, 0) + 1
    return formats


def _report(scored: list[Scored]) -> dict:
    """One set's aggregates, over all its memos and per language (a language it lacks is left out)."""
    report = {"all": agreement(scored)}
    report.update({lang: agreement(group) for lang, group in by_language(scored).items() if group})
    return report


def measure(evaluator, rubric: Rubric) -> dict:
    """The corpus numbers `make bench` reports: per set and per language, rank correlation, the
    adversarial gap and counts; band agreement on the dev set; quote problems on the held-out set."""
    dev, heldout = load_corpus("dev"), load_corpus("heldout")
    dev_scored, heldout_scored = score_memos(evaluator, dev, rubric), score_memos(evaluator, heldout, rubric)
    in_band = sum(
        lo <= score <= hi
        for m in dev
        for dim, score in dimension_scores(m.text, m.language).items()
        if dim in m.bands
        for lo, hi in [m.bands[dim]]
    )
    everything = dev + heldout
    return {
        "memos": len(everything),
        "adversarial": sum(m.adversarial for m in everything),
        "spanish": sum(m.language == "es" for m in everything),
        "formats": _formats(everything),
        "dev": {**_report(dev_scored), "dimension_scores_in_band": f"{in_band}/{sum(len(m.bands) for m in dev)}"},
        "heldout": {**_report(heldout_scored), "memos_with_quote_problems": len(quote_breakers(heldout_scored))},
    }
