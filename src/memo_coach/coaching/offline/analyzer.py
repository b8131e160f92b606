"""The offline evaluator: real, deterministic feedback when no language model is available.

It scores any rubric, including one an admin wrote, because each criterion names the analyzer
dimension whose measured features stand in for it. The same memo always gets the same result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from memo_coach.coaching.language import detect
from memo_coach.coaching.offline import feedback_es
from memo_coach.coaching.offline.features import MemoFeatures, extract_features
from memo_coach.coaching.offline.languages import speaking
from memo_coach.coaching.offline.readability import load_in_background
from memo_coach.coaching.offline.scoring import HIGH, LOW, Judgement, judge
from memo_coach.coaching.offline.segments import segment_feedback
from memo_coach.coaching.result import CriterionScore, Evaluated, EvaluationResult, in_language
from memo_coach.coaching.rubric import Criterion, Rubric

if TYPE_CHECKING:
    from memo_coach.coaching.config_schemas import PromptConfig

# Bump when scoring rules change, so stored evaluations say which rules produced them.
ANALYZER_VERSION = 3
MAX_STRENGTHS = 3
MAX_OPPORTUNITIES = 3
# On the analyzer's 1..5 ladder, the level from which a criterion counts as a real strength.
STRENGTH_LEVEL = 4
# The analyzer's own sentences around the judges' feedback, in each language it coaches.
PHRASES = {
    "en": {
        "at_top": "{name} is already at the top of the scale; to go further: {advice}",
        "strongest": "{label} is the strongest area so far. {seen}",
    },
    "es": {
        "at_top": "{name} ya está en lo más alto de la escala; para ir más allá: {advice}",
        "strongest": "{label} es lo más sólido por ahora. {seen}",
    },
}


class OfflineEvaluator:
    """Implements the Evaluator protocol from measurable features of the text; prompts are not used."""

    provider = "offline"
    model = f"offline-analyzer-{ANALYZER_VERSION}"

    def __init__(self, background_load: bool = True) -> None:
        # Load the pronouncing dictionary now (in a thread: start-up sets the floor on crash
        # recovery), so the first writer rarely waits for it and a broken install is logged at start.
        # Without `background_load`, the first memo loads it.
        if background_load:
            load_in_background()

    def evaluate(self, memo: str, rubric: Rubric, prompts: PromptConfig | None = None) -> Evaluated:
        """Coached in the memo's language (English or Spanish); any other is coached as English, with a note."""
        language = detect(memo)
        with speaking(language.code):
            result = _coached(memo, rubric.in_language(language.code), language.code)
        result = in_language(result, language.code, language.note)
        return Evaluated(result=result, provider=self.provider, model=self.model)


def _coached(memo: str, rubric: Rubric, language: str) -> EvaluationResult:
    features = extract_features(memo)
    judgements = {d: _judged(d, features, language) for d in dict.fromkeys(c.analyzer for c in rubric.criteria)}
    scored = [(c, judgements[c.analyzer]) for c in rubric.criteria]
    to_improve = opportunities(scored, rubric, language)
    return EvaluationResult(
        strengths=strengths([(c, j) for c, j in scored if c.id not in to_improve], rubric, scored, language),
        opportunities=list(to_improve.values()),
        rubric_scores=[criterion_score(c, j, rubric) for c, j in scored],
        segment_feedback=feedback_es.segment_feedback(features) if language == "es" else segment_feedback(features),
    )


def _judged(dimension: str, features: MemoFeatures, language: str) -> Judgement:
    judgement = judge(dimension, features)
    return feedback_es.in_spanish(dimension, features, judgement) if language == "es" else judgement


def on_scale(score: int, rubric: Rubric) -> int:
    """Map the analyzer's 1..5 ladder onto the rubric's scale (identity for a 1..5 rubric)."""
    span = rubric.scale.max - rubric.scale.min
    return int(rubric.scale.min + (score - LOW) * span / (HIGH - LOW) + 0.5)


def criterion_score(criterion: Criterion, judgement: Judgement, rubric: Rubric) -> CriterionScore:
    """The score with what the coach saw in this memo; the rubric's own words are on the help page."""
    return CriterionScore(
        criterion_id=criterion.id, score=on_scale(judgement.score, rubric), justification=judgement.seen
    )


def _ranked(scored: list[tuple[Criterion, Judgement]], best_first: bool) -> list[tuple[Criterion, Judgement]]:
    """Order by score, then weight (heavier matters more), then rubric order, so ties break the same way."""
    sign = -1 if best_first else 1
    order = {c.id: i for i, (c, _) in enumerate(scored)}
    return sorted(scored, key=lambda cj: (sign * cj[1].score, -cj[0].weight, order[cj[0].id]))


def _label(criterion: Criterion, judgement: Judgement, rubric: Rubric) -> str:
    return f"{criterion.name} ({on_scale(judgement.score, rubric)}/{rubric.scale.max})"


def opportunities(scored: list[tuple[Criterion, Judgement]], rubric: Rubric, language: str = "en") -> dict[str, str]:
    """One concrete action for each of the weakest criteria (by criterion id), heaviest first among equals.

    At least one criterion is always left out, so strengths can name one the opportunities do not.
    """
    ranked = _ranked(scored, best_first=False)
    room = max(1, min(MAX_OPPORTUNITIES, len(scored) - 1))
    weak = [(c, j) for c, j in ranked if j.score < HIGH][:room]
    if weak:
        return {c.id: f"{_label(c, j, rubric)}: {j.advice}" for c, j in weak}
    top, judgement = ranked[0]
    return {top.id: PHRASES[language]["at_top"].format(name=top.name, advice=judgement.advice)}


def strengths(
    candidates: list[tuple[Criterion, Judgement]],
    rubric: Rubric,
    scored: list[tuple[Criterion, Judgement]],
    language: str = "en",
) -> list[str]:
    """Praise for the best criteria not listed as opportunities; if none is strong yet, name the strongest honestly."""
    ranked = _ranked(candidates or scored, best_first=True)
    strong = [(c, j) for c, j in ranked if j.score >= STRENGTH_LEVEL][:MAX_STRENGTHS]
    if strong:
        return [f"{_label(c, j, rubric)}: {j.praise}" for c, j in strong]
    best, judgement = ranked[0]
    return [PHRASES[language]["strongest"].format(label=_label(best, judgement, rubric), seen=judgement.seen)]
