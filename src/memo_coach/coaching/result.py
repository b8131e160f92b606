"""What an evaluator returns, whichever it is: the contract the LLM's JSON must meet, and the
columns a finished evaluation stores."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from memo_coach.coaching.models import COMPLETED
from memo_coach.coaching.rubric import Rubric
from memo_coach.db.base import utcnow

if TYPE_CHECKING:
    from memo_coach.coaching.config_schemas import PromptConfig


class Loose(BaseModel):
    # Models add stray keys; ignoring them is safer than failing a whole evaluation.
    model_config = ConfigDict(extra="ignore")


class CriterionScore(Loose):
    criterion_id: str
    score: int
    justification: str = Field(min_length=1)


class SegmentFeedback(Loose):
    quote: str = Field(min_length=1, description="an exact quote from the memo")
    comment: str = Field(min_length=1)
    questions: list[str] = Field(default_factory=list)
    suggestion: str = ""


class EvaluationResult(Loose):
    strengths: list[str] = Field(min_length=1)
    opportunities: list[str] = Field(min_length=1)
    rubric_scores: list[CriterionScore] = Field(min_length=1)
    segment_feedback: list[SegmentFeedback] = Field(default_factory=list)
    # Set by the coach, never asked of a model (so left out of the schema the model is shown).
    language: SkipJsonSchema[str] = Field("en", description="the language the memo was coached in")
    language_note: SkipJsonSchema[str | None] = Field(None, description="why it was not coached in its own")


def in_language(result: EvaluationResult, language: str, note: str | None) -> EvaluationResult:
    """The result marked with the language it was coached in; a note (a memo in a language the coach does not
    read, or one it could not tell) also opens the opportunities, where every page, the API and the PDF show it."""
    update: dict[str, Any] = {"language": language, "language_note": note}
    if note:
        update["opportunities"] = [note, *result.opportunities]
    return result.model_copy(update=update)


def problems_against_rubric(result: EvaluationResult, rubric: Rubric) -> list[str]:
    """Why a result does not fit the rubric (empty when it does): every criterion once, scores on the scale."""
    problems = []
    seen = [s.criterion_id for s in result.rubric_scores]
    for c in rubric.criteria:
        if seen.count(c.id) != 1:
            problems.append(f"criterion {c.id} must be scored exactly once")
    for s in result.rubric_scores:
        if rubric.criterion(s.criterion_id) is None:
            problems.append(f"unknown criterion {s.criterion_id}")
        elif s.score not in rubric.scale.points:
            problems.append(
                f"score {s.score} for {s.criterion_id} is off the {rubric.scale.min}-{rubric.scale.max} scale"
            )
    return problems


def weighted_score(result: EvaluationResult, rubric: Rubric) -> float:
    """The overall score on the rubric's scale, computed by us, never taken from the model."""
    weights = {c.id: c.weight for c in rubric.criteria}
    total = sum(weights[s.criterion_id] * s.score for s in result.rubric_scores if s.criterion_id in weights)
    return round(total / rubric.total_weight, 2)


def json_schema() -> dict:
    """The JSON schema shown to the model so it knows the exact shape to answer in."""
    return EvaluationResult.model_json_schema()


@dataclass(frozen=True)
class Evaluated:
    """One evaluator's answer with where it came from; the service adds timing and storage."""

    result: EvaluationResult
    provider: str
    model: str
    dropped_quotes: int = 0
    repaired: bool = False


class Evaluator(Protocol):
    provider: str
    model: str

    def evaluate(self, memo: str, rubric: Rubric, prompts: PromptConfig) -> Evaluated: ...


def result_values(
    evaluated: Evaluated, degraded_reason: str | None, latency_ms: float, rubric: Rubric
) -> dict[str, Any]:
    """The columns a finished evaluation sets; names (in the language coached in) and weights are frozen
    with the result, for history."""
    criteria = {c.id: c for c in rubric.in_language(evaluated.result.language).criteria}
    result = evaluated.result.model_dump()
    for item in result["rubric_scores"]:
        item["name"] = str(criteria[item["criterion_id"]].name)
        item["weight"] = criteria[item["criterion_id"]].weight
    return {
        "result": result,
        "overall_score": weighted_score(evaluated.result, rubric),
        "provider": evaluated.provider,
        "model": evaluated.model,
        "dropped_quotes": evaluated.dropped_quotes,
        "degraded": degraded_reason is not None,
        "degraded_reason": degraded_reason,
        "latency_ms": latency_ms,
        "status": COMPLETED,
        "completed_at": utcnow(),
        "error": None,
    }
