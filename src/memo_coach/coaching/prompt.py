"""Rendering the prompt templates of config/prompt.yaml in a sandbox, failing loudly on any missing value.

Each template is given in English and Spanish; a memo is rendered with its own language's templates and
the rubric in that language, so the model reads, and answers, in the memo's language.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from memo_coach.coaching.localized import DEFAULT_LANGUAGE, LANGUAGES
from memo_coach.coaching.result import json_schema

if TYPE_CHECKING:
    from jinja2 import Template

    from memo_coach.coaching.config_schemas import PromptConfig
    from memo_coach.coaching.rubric import Rubric

# Templates are editable by admins, so they run sandboxed: no attribute access to internals,
# and StrictUndefined turns a typo such as {{ rubrc }} into an error instead of an empty string.
_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)


class PromptTemplateError(ValueError):
    """A prompt template that does not compile or render; the message names the template."""

    def __init__(self, template: str, cause: Exception) -> None:
        super().__init__(f"prompt template {template} failed: {type(cause).__name__}: {cause}")
        self.template = template


def render_evaluation(
    prompts: PromptConfig, memo: str, rubric: Rubric, language: str = DEFAULT_LANGUAGE
) -> tuple[str, str]:
    """The (system, user) messages asking for an evaluation of `memo` (written in `language`) against `rubric`."""
    schema = json.dumps(json_schema(), indent=2)
    rubric = rubric.in_language(language)
    system = _render(f"evaluation.system.{language}", prompts.evaluation.system.texts[language], rubric=rubric)
    user = _render(
        f"evaluation.user.{language}", prompts.evaluation.user.texts[language], memo=memo, rubric=rubric, schema=schema
    )
    return system, user


def render_repair(prompts: PromptConfig, error: str, previous: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The follow-up message asking the model to fix its previous, invalid answer."""
    source = prompts.evaluation.repair.texts[language]
    return _render(f"evaluation.repair.{language}", source, error=error, previous=previous)


def render_chat_system(
    prompts: PromptConfig,
    memo: str,
    versions: list[str],
    rubric: Rubric,
    evaluation: dict,
    language: str | None = None,
) -> str:
    """The system message of a coaching chat about `memo`, its earlier `versions` and its `evaluation`; in
    `language`, else in the language the evaluation was coached in."""
    language = language or evaluation.get("language") or DEFAULT_LANGUAGE
    return _render(
        f"chat.system.{language}",
        prompts.chat.system.texts[language],
        memo=memo,
        versions=versions,
        rubric=rubric.in_language(language),
        evaluation=evaluation,
    )


def check_templates(prompts: PromptConfig) -> list[str]:
    """Problems compiling each template (empty when all compile); for validating a config before saving it."""
    sources = {
        "evaluation.system": prompts.evaluation.system,
        "evaluation.user": prompts.evaluation.user,
        "evaluation.repair": prompts.evaluation.repair,
        "chat.system": prompts.chat.system,
    }
    problems = []
    for name, source in sources.items():
        for language in LANGUAGES:
            try:
                _compile(f"{name}.{language}", source.texts[language])
            except PromptTemplateError as e:
                problems.append(str(e))
    return problems


def _render(name: str, source: str, **context: Any) -> str:
    template = _compile(name, source)
    try:
        return template.render(**context).strip()
    except TemplateError as e:
        raise PromptTemplateError(name, e) from e


@lru_cache(maxsize=64)
def _compile(name: str, source: str) -> Template:
    try:
        return _ENV.from_string(source)
    except TemplateError as e:
        raise PromptTemplateError(name, e) from e
