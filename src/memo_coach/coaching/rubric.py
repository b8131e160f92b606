"""Schema of config/rubric.yaml: the criteria a memo is scored against."""

from __future__ import annotations

from pydantic import Field, model_validator

from memo_coach.config_store.kinds import Strict

# Each criterion names the group of measurable text features the offline analyzer
# uses for it, so a rubric edited by an admin still gets real offline feedback.
ANALYZER_DIMENSIONS = ("structure", "evidence", "clarity", "ask", "risks", "plan")


class Scale(Strict):
    min: int = Field(1, description="lowest score")
    max: int = Field(5, description="highest score")

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.min >= self.max:
            raise ValueError("scale.min must be below scale.max")
        return self

    @property
    def points(self) -> range:
        return range(self.min, self.max + 1)


class Criterion(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="stable id; stored with every score")
    name: str = Field(min_length=1, description="shown to writers")
    description: str = Field(min_length=1, description="what the criterion measures")
    weight: float = Field(gt=0, description="share of the overall score; weights add up to total_weight")
    analyzer: str = Field(description="offline analyzer dimension: " + ", ".join(ANALYZER_DIMENSIONS))
    guidance: dict[int, str] = Field(description="what each score on the scale means")

    @model_validator(mode="after")
    def _known_dimension(self) -> Criterion:
        if self.analyzer not in ANALYZER_DIMENSIONS:
            raise ValueError(f"analyzer must be one of {', '.join(ANALYZER_DIMENSIONS)}")
        return self


class Framework(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="stable id")
    name: str = Field(min_length=1, description="e.g. BLUF, Pyramid Principle")
    summary: str = Field(min_length=1, description="one paragraph on the framework")
    guidance: list[str] = Field(default_factory=list, description="how to apply it, one line each")


class Rubric(Strict):
    """Cross-field rules (weights add up, guidance for every score, unique ids) live in
    config_store.validation, the semantic layer, so each problem can name its own line."""

    name: str = Field(min_length=1, description="the rubric's name")
    description: str = Field("", description="what the rubric is for")
    scale: Scale = Field(Scale(), description="the score range every criterion uses")
    total_weight: float = Field(100, description="what the criterion weights add up to")
    criteria: list[Criterion] = Field(min_length=1, description="what a memo is scored on")
    frameworks: list[Framework] = Field(
        default_factory=list, description="writing frameworks the feedback may refer to"
    )

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)
