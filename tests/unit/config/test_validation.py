"""Each validation layer refuses its own kind of mistake and names file, line, column and field."""

import pytest
import yaml

from memo_coach.coaching.localized import LANGUAGES, Localized
from memo_coach.config_store.kinds import SCHEMAS
from memo_coach.config_store.loader import ConfigError, load_file
from memo_coach.config_store.validation import validate
from tests.support.helpers import CONFIG_DIR

ACTIVE = {name: load_file(name, CONFIG_DIR)[0] for name in SCHEMAS}


def shipped(name: str) -> str:
    return (CONFIG_DIR / f"{name}.yaml").read_text()


def problems_of(name: str, text: str):
    with pytest.raises(ConfigError) as caught:
        validate(name, text, ACTIVE)
    return caught.value.problems


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_shipped_files_pass_every_layer(name):
    validate(name, shipped(name), ACTIVE)


def test_the_syntax_layer_names_the_line():
    [problem] = problems_of("auth", "session_hours: 8\nlockout: {max_failures_per_account: 5\n")
    assert problem.layer == "syntax" and problem.line == 3 and "YAML syntax" in problem.message


def test_the_schema_layer_suggests_the_close_key():
    text = shipped("llm").replace("temperature: 0.2", "temprature: 0.2")
    [problem] = problems_of("llm", text)
    assert problem.layer == "schema"
    assert (problem.line, problem.column, problem.field) == (line_of(text, "temprature"), 1, "temprature")
    assert "did you mean 'temperature'" in problem.message


def test_the_semantic_layer_checks_that_weights_add_up():
    text = shipped("rubric").replace("total_weight: 100", "total_weight: 90", 1)
    [problem] = problems_of("rubric", text)
    assert problem.layer == "semantics" and problem.field == "total_weight"
    assert problem.line == line_of(text, "total_weight: 90") and problem.column == len("total_weight: ") + 1
    assert "weights add up to 100, not total_weight 90" in str(problem)
    assert str(problem).startswith(f"config/rubric.yaml:{problem.line}:15: total_weight:")


def test_the_semantic_layer_wants_guidance_for_every_score():
    data = yaml.safe_load(shipped("rubric"))
    del data["criteria"][2]["guidance"][4]
    text = yaml.safe_dump(data, sort_keys=False)
    [problem] = problems_of("rubric", text)
    assert problem.field == "criteria.2.guidance" and "no guidance for score 4" in problem.message
    assert problem.line is not None


def test_the_semantic_layer_refuses_a_score_outside_the_scale():
    data = yaml.safe_load(shipped("rubric"))
    data["criteria"][0]["guidance"][6] = {"en": "beyond the top", "es": "más allá del máximo"}
    [problem] = problems_of("rubric", yaml.safe_dump(data, sort_keys=False))
    assert problem.field == "criteria.0.guidance.6" and "outside the scale 1..5" in problem.message


def test_the_semantic_layer_refuses_a_criterion_id_used_twice():
    data = yaml.safe_load(shipped("rubric"))
    data["criteria"][1]["id"] = data["criteria"][0]["id"]
    [problem] = problems_of("rubric", yaml.safe_dump(data, sort_keys=False))
    assert problem.field == "criteria.1.id" and "used twice" in problem.message


def test_a_template_that_does_not_render_names_its_template_and_line():
    text = shipped("prompt").replace("{{ memo }}", "{{ memmo }}", 1)
    assert text != shipped("prompt")
    problems = problems_of("prompt", text)
    assert problems[0].layer == "semantics" and problems[0].field == "evaluation.user.en"
    assert "memmo" in problems[0].message and problems[0].line == line_of(text, "user:") + 1  # its "en:" line


def test_a_rubric_that_breaks_a_prompt_template_is_refused():
    prompt = ACTIVE["prompt"].model_copy(
        update={
            "evaluation": ACTIVE["prompt"].evaluation.model_copy(
                update={"system": Localized(dict.fromkeys(LANGUAGES, "{{ rubric.criteria[5].name }}"))}
            )
        }
    )
    data = yaml.safe_load(shipped("rubric"))
    data["criteria"] = data["criteria"][:1]
    data["criteria"][0]["weight"] = 100
    with pytest.raises(ConfigError, match="does not render with this rubric"):
        validate("rubric", yaml.safe_dump(data), {**ACTIVE, "prompt": prompt})


def test_thresholds_must_be_in_a_sensible_order():
    [problem] = problems_of("llm", shipped("llm").replace("backoff_base_seconds: 0.5", "backoff_base_seconds: 20"))
    assert problem.field == "backoff_base_seconds" and problem.layer == "semantics"
    text = shipped("auth").replace("max_failures_per_address: 20", "max_failures_per_address: 2")
    [problem] = problems_of("auth", text)
    assert problem.field == "lockout.max_failures_per_address" and problem.line == line_of(text, "per_address")
