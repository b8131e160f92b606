"""Schema of config/rubric.yaml: the criteria a memo is scored against, in English and Spanish."""

from __future__ import annotations

from pydantic import Field, model_validator

from memo_coach.coaching.localized import Localized, empty, localized_copy
from memo_coach.config_store.kinds import Strict

# Each criterion names the group of measurable text features the offline analyzer
# uses for it, so a rubric edited by an admin still gets real offline feedback.
ANALYZER_DIMENSIONS = ("structure", "evidence", "clarity", "ask", "risks", "plan")
# Every writer's help page and every prompt carries the whole rubric, so each part of it is bounded.
MAX_SCALE_POINTS = 11
MAX_CRITERIA = 20
MAX_FRAMEWORKS = 20
SHORT_TEXT = 200
LONG_TEXT = 2_000


class ShortText(Localized):
    MAX_LENGTH = SHORT_TEXT


class LongText(Localized):
    MAX_LENGTH = LONG_TEXT


class Scale(Strict):
    min: int = Field(1, ge=0, le=100, description="lowest score")
    max: int = Field(5, ge=1, le=100, description="highest score")

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.min >= self.max:
            raise ValueError("scale.min must be below scale.max")
        if self.max - self.min + 1 > MAX_SCALE_POINTS:
            raise ValueError(f"the scale may have at most {MAX_SCALE_POINTS} points")
        return self

    @property
    def points(self) -> range:
        return range(self.min, self.max + 1)


class Criterion(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64, description="stable id; stored with every score")
    name: ShortText = Field(description="shown to writers")
    description: LongText = Field(description="what the criterion measures")
    weight: float = Field(gt=0, description="share of the overall score; weights add up to total_weight")
    analyzer: str = Field(description="offline analyzer dimension: " + ", ".join(ANALYZER_DIMENSIONS))
    guidance: dict[int, LongText] = Field(max_length=MAX_SCALE_POINTS, description="what each score on the scale means")

    @model_validator(mode="after")
    def _known_dimension(self) -> Criterion:
        if self.analyzer not in ANALYZER_DIMENSIONS:
            raise ValueError(f"analyzer must be one of {', '.join(ANALYZER_DIMENSIONS)}")
        return self


class Framework(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64, description="stable id")
    name: ShortText = Field(description="e.g. BLUF, Pyramid Principle")
    summary: LongText = Field(description="one paragraph on the framework")
    guidance: list[LongText] = Field(default_factory=list, max_length=20, description="how to apply it, one line each")


class Rubric(Strict):
    """Cross-field rules (weights add up, guidance for every score, unique ids) live in
    config_store.validation, the semantic layer, so each problem can name its own line."""

    name: ShortText = Field(description="the rubric's name")
    description: LongText = Field(default_factory=empty, description="what the rubric is for")
    scale: Scale = Field(Scale(), description="the score range every criterion uses")
    total_weight: float = Field(100, description="what the criterion weights add up to")
    criteria: list[Criterion] = Field(min_length=1, max_length=MAX_CRITERIA, description="what a memo is scored on")
    frameworks: list[Framework] = Field(
        default_factory=list, max_length=MAX_FRAMEWORKS, description="writing frameworks the feedback may refer to"
    )

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def in_language(self, language: str) -> Rubric:
        """The rubric with every text in `language` (one of localized.LANGUAGES), for a memo written in it."""
        return self if self.name.language == language else localized_copy(self, language)
