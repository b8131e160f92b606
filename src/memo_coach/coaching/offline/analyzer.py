"""The offline evaluator: real, deterministic feedback when no language model is available.

It scores any rubric, including one an admin wrote, because each criterion names the analyzer
dimension whose measured features stand in for it. The same memo always gets the same result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from memo_coach.coaching.offline.features import extract_features
from memo_coach.coaching.offline.readability import load_in_background
from memo_coach.coaching.offline.scoring import HIGH, LOW, Judgement, judge
from memo_coach.coaching.offline.segments import segment_feedback
from memo_coach.coaching.result import CriterionScore, Evaluated, EvaluationResult
from memo_coach.coaching.rubric import Criterion, Rubric

if TYPE_CHECKING:
    from memo_coach.coaching.config_schemas import PromptConfig

# Bump when scoring rules change, so stored evaluations say which rules produced them.
ANALYZER_VERSION = 2
MAX_STRENGTHS = 3
MAX_OPPORTUNITIES = 3
# On the analyzer's 1..5 ladder, the level from which a criterion counts as a real strength.
STRENGTH_LEVEL = 4


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
        features = extract_features(memo)
        judgements = {d: judge(d, features) for d in dict.fromkeys(c.analyzer for c in rubric.criteria)}
        scored = [(c, judgements[c.analyzer]) for c in rubric.criteria]
        to_improve = opportunities(scored, rubric)
        result = EvaluationResult(
            strengths=strengths([(c, j) for c, j in scored if c.id not in to_improve], rubric, scored),
            opportunities=list(to_improve.values()),
            rubric_scores=[criterion_score(c, j, rubric) for c, j in scored],
            segment_feedback=segment_feedback(features),
        )
        return Evaluated(result=result, provider=self.provider, model=self.model)


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


def opportunities(scored: list[tuple[Criterion, Judgement]], rubric: Rubric) -> dict[str, str]:
    """One concrete action for each of the weakest criteria (by criterion id), heaviest first among equals.

    At least one criterion is always left out, so strengths can name one the opportunities do not.
    """
    ranked = _ranked(scored, best_first=False)
    room = max(1, min(MAX_OPPORTUNITIES, len(scored) - 1))
    weak = [(c, j) for c, j in ranked if j.score < HIGH][:room]
    if weak:
        return {c.id: f"{_label(c, j, rubric)}: {j.advice}" for c, j in weak}
    top, judgement = ranked[0]
    return {top.id: f"{top.name} is already at the top of the scale; to go further: {judgement.advice}"}


def strengths(
    candidates: list[tuple[Criterion, Judgement]], rubric: Rubric, scored: list[tuple[Criterion, Judgement]]
) -> list[str]:
    """Praise for the best criteria not listed as opportunities; if none is strong yet, name the strongest honestly."""
    ranked = _ranked(candidates or scored, best_first=True)
    strong = [(c, j) for c, j in ranked if j.score >= STRENGTH_LEVEL][:MAX_STRENGTHS]
    if strong:
        return [f"{_label(c, j, rubric)}: {j.praise}" for c, j in strong]
    best, judgement = ranked[0]
    return [f"{_label(best, judgement, rubric)} is the strongest area so far. {judgement.seen}"]
