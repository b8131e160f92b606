"""Prompt rendering: every rubric detail reaches the model, and template mistakes fail loudly and by name."""

import json
from pathlib import Path

import pytest
import yaml

from memo_coach.coaching.config_schemas import PromptConfig
from memo_coach.coaching.prompt import (
    PromptTemplateError,
    check_templates,
    render_chat_system,
    render_evaluation,
    render_repair,
)
from memo_coach.coaching.rubric import Rubric

CONFIG = Path(__file__).resolve().parents[3] / "config"
MEMO = "To: Board\nWe should open a Berlin office by March.\n\nIt costs $2M and pays back in 18 months."


def t(english: str, spanish: str | None = None) -> dict:
    return {"en": english, "es": spanish or f"{english} (es)"}


def small_rubric() -> Rubric:
    guidance = {n: t(word) for n, word in enumerate(["poor", "weak", "fair", "good", "excellent"], 1)}
    return Rubric.model_validate(
        {
            "name": t("Test rubric", "Rúbrica de prueba"),
            "criteria": [
                {"id": "clarity", "name": t("Clarity", "Claridad"), "description": t("Plain words."), "weight": 60,
                 "analyzer": "clarity", "guidance": guidance},
                {"id": "the_ask", "name": t("The ask", "La petición"), "description": t("A clear request."),
                 "weight": 40, "analyzer": "ask", "guidance": {**guidance, 5: t("names who, what, by when")}},
            ],
            "frameworks": [
                {"id": "bluf", "name": t("BLUF"), "summary": t("Bottom line up front."), "guidance": [t("Lead.")]}
            ],
        }
    )  # fmt: skip


def prompts(**overrides: str) -> PromptConfig:
    """The shipped prompts, with some templates replaced in every language."""
    data = yaml.safe_load((CONFIG / "prompt.yaml").read_text())
    for dotted, value in overrides.items():
        section, key = dotted.split("__")
        data[section][key] = {"en": value, "es": value}
    return PromptConfig.model_validate(data)


def test_the_default_prompt_config_is_valid_and_compiles():
    assert check_templates(prompts()) == []


def test_evaluation_prompt_carries_memo_criteria_guidance_frameworks_and_schema():
    system, user = render_evaluation(prompts(), MEMO, small_rubric())
    assert "JSON" in system
    assert MEMO in user  # the memo verbatim, so the model can quote it exactly
    assert "criterion_id: clarity" in user and "criterion_id: the_ask" in user
    assert "names who, what, by when" in user  # guidance for every score
    assert "integer scale 1 to 5" in user
    assert "BLUF" in user and "Bottom line up front." in user
    assert '"rubric_scores"' in user  # the JSON schema
    assert "ONLY" in user and "exact" in user


def test_the_schema_in_the_prompt_is_valid_json():
    _, user = render_evaluation(prompts(evaluation__user="{{ schema }}"), MEMO, small_rubric())
    assert json.loads(user)["title"] == "EvaluationResult"


def test_the_default_rubric_renders(tmp_path):
    rubric = Rubric.model_validate(yaml.safe_load((CONFIG / "rubric.yaml").read_text()))
    _, user = render_evaluation(prompts(), MEMO, rubric)
    for criterion in rubric.criteria:
        assert f"criterion_id: {criterion.id}" in user


def test_repair_prompt_names_the_error_and_shows_the_previous_answer():
    text = render_repair(prompts(), "criterion clarity must be scored exactly once", '{"strengths": []}')
    assert "criterion clarity must be scored exactly once" in text
    assert '{"strengths": []}' in text


def test_chat_system_prompt_has_memo_versions_rubric_and_evaluation():
    evaluation = {
        "strengths": ["Clear ask"],
        "opportunities": ["Add risks"],
        "rubric_scores": [{"criterion_id": "clarity", "score": 4, "justification": "Short sentences."}],
    }
    text = render_chat_system(prompts(), MEMO, ["First draft text."], small_rubric(), evaluation)
    assert MEMO in text
    assert "First draft text." in text
    assert "Clarity (clarity)" in text
    assert "clarity: 4 (Short sentences.)" in text
    assert "Clear ask" in text and "Add risks" in text


def test_chat_system_prompt_works_without_versions_or_evaluation():
    text = render_chat_system(prompts(), MEMO, [], small_rubric(), {})
    assert MEMO in text
    assert "Earlier versions" not in text


def test_an_unknown_variable_is_an_error_naming_the_template():
    with pytest.raises(PromptTemplateError, match=r"evaluation\.user.*rubrc"):
        render_evaluation(prompts(evaluation__user="{{ rubrc.name }}"), MEMO, small_rubric())


def test_a_syntax_error_names_the_template():
    broken = prompts(chat__system="{% for x in versions %}never closed")
    with pytest.raises(PromptTemplateError, match=r"chat\.system"):
        render_chat_system(broken, MEMO, [], small_rubric(), {})
    assert len(check_templates(broken)) == 2  # the English and the Spanish template


def test_templates_run_sandboxed():
    sneaky = prompts(evaluation__system="{{ rubric.__class__.__mro__ }}")
    with pytest.raises(PromptTemplateError, match=r"evaluation\.system"):
        render_evaluation(sneaky, MEMO, small_rubric())
