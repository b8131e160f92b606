"""The layers a configuration change passes before it may be applied: syntax, schema, then semantics.

Syntax and schema live in loader.py. The semantic layer is a list of checks per file: each sees the
whole configuration as it would be after the change, so a rubric edit that breaks a prompt template
is caught too. A later file (monitoring.yaml, maintenance.yaml) registers its own checks with
`@semantic_check("name")`; nothing else needs to change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from croniter import croniter
from pydantic import BaseModel

from memo_coach.coaching.prompt import PromptTemplateError, render_chat_system, render_evaluation, render_repair
from memo_coach.coaching.rubric import Rubric
from memo_coach.coaching.samples import list_samples
from memo_coach.config_store.loader import ConfigError, ConfigProblem, locate, parse_document
from memo_coach.config_store.schemas import PromptConfig

# (location inside the file as a path of keys and indexes, message)
Finding = tuple[tuple, str]


@dataclass(frozen=True)
class Candidate:
    """One file's proposed content, seen together with every other file as it would be after the change."""

    name: str
    model: BaseModel
    config: Mapping[str, BaseModel]


SemanticCheck = Callable[[Candidate], Iterable[Finding]]
SEMANTIC_CHECKS: dict[str, list[SemanticCheck]] = {}


def semantic_check(name: str) -> Callable[[SemanticCheck], SemanticCheck]:
    """Registers a check for config/<name>.yaml."""

    def register(check: SemanticCheck) -> SemanticCheck:
        SEMANTIC_CHECKS.setdefault(name, []).append(check)
        return check

    return register


def validate(name: str, text: str, config: Mapping[str, BaseModel], source: str | None = None) -> BaseModel:
    """Every layer in order; raises ConfigError with the problems of the first layer that fails.

    `config` is the active configuration; the candidate replaces its `name` entry for cross-file checks.
    """
    source = source or f"config/{name}.yaml"
    model, root = parse_document(name, text, source)
    candidate = Candidate(name, model, {**config, name: model})
    problems = []
    for check in SEMANTIC_CHECKS.get(name, []):
        for loc, message in check(candidate):
            line, column = locate(root, loc)
            field = ".".join(str(p) for p in loc)
            problems.append(ConfigProblem(source, line, column, field, message, "semantics"))
    if problems:
        raise ConfigError(problems)
    return model


def cron_problem(expression: str) -> str | None:
    """Why a cron expression does not parse, or None; for files with schedules (maintenance.yaml)."""
    try:
        croniter(expression, datetime.now(UTC)).get_next(datetime)
    except (ValueError, KeyError) as exc:
        return f"cron expression {expression!r} does not parse: {exc}"
    return None


@semantic_check("rubric")
def criterion_ids_are_unique(candidate: Candidate) -> Iterable[Finding]:
    seen: set[str] = set()
    for i, criterion in enumerate(candidate.model.criteria):
        if criterion.id in seen:
            yield ("criteria", i, "id"), f"criterion id {criterion.id!r} is used twice"
        seen.add(criterion.id)


@semantic_check("rubric")
def weights_add_up(candidate: Candidate) -> Iterable[Finding]:
    rubric = candidate.model
    total = sum(c.weight for c in rubric.criteria)
    if abs(total - rubric.total_weight) > 1e-6:
        yield ("total_weight",), f"criterion weights add up to {total:g}, not total_weight {rubric.total_weight:g}"


@semantic_check("rubric")
def guidance_for_every_score(candidate: Candidate) -> Iterable[Finding]:
    rubric = candidate.model
    points = list(rubric.scale.points)
    for i, c in enumerate(rubric.criteria):
        missing = [p for p in points if not c.guidance.get(p, "").strip()]
        if missing:
            yield ("criteria", i, "guidance"), f"criterion {c.id}: no guidance for score {', '.join(map(str, missing))}"
        for p in c.guidance:
            if p not in points:
                yield (
                    ("criteria", i, "guidance", p),
                    f"criterion {c.id}: score {p} is outside the scale {points[0]}..{points[-1]}",
                )


@semantic_check("rubric")
def prompts_render_with_this_rubric(candidate: Candidate) -> Iterable[Finding]:
    prompts = candidate.config.get("prompt")
    if prompts is not None:
        for template, message in render_problems(prompts, candidate.model):
            yield ("criteria",), f"prompt template {template} does not render with this rubric: {message}"


@semantic_check("prompt")
def templates_render(candidate: Candidate) -> Iterable[Finding]:
    rubric = candidate.config.get("rubric")
    if rubric is not None:
        for template, message in render_problems(candidate.model, rubric):
            yield tuple(template.split(".")), message


@semantic_check("llm")
def backoff_is_ordered(candidate: Candidate) -> Iterable[Finding]:
    llm = candidate.model
    if llm.backoff_base_seconds > llm.backoff_max_seconds:
        yield ("backoff_base_seconds",), "must not exceed backoff_max_seconds"


@semantic_check("auth")
def address_lockout_is_not_stricter(candidate: Candidate) -> Iterable[Finding]:
    lockout = candidate.model.lockout
    if lockout.max_failures_per_address < lockout.max_failures_per_account:
        # An address limit below the account limit would lock out a whole office before one account.
        yield ("lockout", "max_failures_per_address"), "must be at least max_failures_per_account"


def render_problems(prompts: PromptConfig, rubric: Rubric) -> list[tuple[str, str]]:
    """(template, problem) for each template that fails to render with `rubric` and a sample memo."""
    memo = list_samples()[0].text
    evaluation = _sample_evaluation(rubric)
    renders = (
        lambda: render_evaluation(prompts, memo, rubric),
        lambda: render_repair(prompts, "rubric_scores: field required", "{}"),
        lambda: render_chat_system(prompts, memo, [memo], rubric, evaluation),
    )
    problems = []
    for render in renders:
        try:
            render()
        except PromptTemplateError as exc:
            problems.append((exc.template, str(exc)))
    return problems


def _sample_evaluation(rubric: Rubric) -> dict:
    """An evaluation shaped like a stored one, for rendering the chat template."""
    top = rubric.scale.max
    return {
        "rubric_scores": [
            {"criterion_id": c.id, "name": c.name, "weight": c.weight, "score": top, "justification": "sample"}
            for c in rubric.criteria
        ],
        "strengths": ["sample strength"],
        "opportunities": ["sample opportunity"],
        "segment_feedback": [],
    }
