"""The rubric and prompt files carry English and Spanish; a file missing either is refused, naming the key,
and a Spanish memo gets the Spanish prompt with the rubric in Spanish."""

import pickle

import pytest
import yaml

from memo_coach.assembly import assemble
from memo_coach.coaching.localized import Localized
from memo_coach.coaching.prompt import check_templates, render_chat_system, render_evaluation, render_repair
from memo_coach.config_store.loader import ConfigError, load_file, parse
from tests.support.helpers import CONFIG_DIR

assemble()
RUBRIC, _ = load_file("rubric", CONFIG_DIR)
PROMPTS, _ = load_file("prompt", CONFIG_DIR)
MEMO = "Solicitamos la aprobación de 18.000 EUR antes del 15 de mayo para renovar el sistema de reservas."


def problems(name: str, change) -> list[tuple[str, str]]:
    data = yaml.safe_load((CONFIG_DIR / f"{name}.yaml").read_text())
    change(data)
    with pytest.raises(ConfigError) as caught:
        parse(name, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return [(p.field, p.message) for p in caught.value.problems]


def test_a_rubric_text_missing_its_spanish_is_refused_naming_the_key():
    def drop(data):
        del data["criteria"][1]["guidance"][3]["es"]

    assert problems("rubric", drop) == [("criteria.1.guidance.3.es", "Field required")]


def test_a_prompt_template_missing_its_spanish_is_refused_naming_the_key():
    def drop(data):
        del data["chat"]["system"]["es"]

    assert problems("prompt", drop) == [("chat.system.es", "Field required")]


def test_a_text_in_one_language_only_or_in_an_unknown_one_is_refused():
    def plain(data):
        data["criteria"][0]["name"] = "Structure"

    [(field, message)] = problems("rubric", plain)
    assert field == "criteria.0.name" and "keys en and es" in message

    def french(data):
        data["frameworks"][0]["name"]["fr"] = "Principe pyramidal"

    assert problems("rubric", french) == [("frameworks.0.name.fr", "unknown key")]


def test_a_text_is_english_as_loaded_and_carries_its_spanish_through_a_pickle():
    name = RUBRIC.criteria[0].name
    assert isinstance(name, str) and name == "Bottom line and structure"
    spanish = pickle.loads(pickle.dumps(RUBRIC.in_language("es")))
    assert spanish.criteria[0].name == "Conclusión y estructura"
    assert spanish.criteria[0].name.in_language("en") == name
    assert RUBRIC.model_dump()["criteria"][0]["name"] == {"en": name, "es": "Conclusión y estructura"}
    assert RUBRIC.in_language("en") is RUBRIC


def test_every_shipped_template_compiles_in_both_languages():
    assert check_templates(PROMPTS) == []
    assert set(PROMPTS.evaluation.user.texts) == {"en", "es"}


def test_a_spanish_memo_gets_the_spanish_prompt_with_the_rubric_in_spanish():
    system, user = render_evaluation(PROMPTS, MEMO, RUBRIC, "es")
    assert "escribe en español" in system and "«Memorando de empresa»" in system
    assert "### Conclusión y estructura (criterion_id: bottom_line_structure" in user
    assert "Bottom line" not in user and MEMO in user
    assert "escribe en español" in render_repair(PROMPTS, "bad", "{}", "es")
    english_system, _ = render_evaluation(PROMPTS, "We request $5,000.", RUBRIC)
    assert "in English" in english_system and "español" not in english_system


def test_the_chat_speaks_the_language_the_evaluation_was_coached_in():
    spanish = render_chat_system(PROMPTS, MEMO, [], RUBRIC, {"language": "es"})
    assert "Responde siempre en español." in spanish and "Conclusión y estructura" in spanish
    assert "Responde siempre" not in render_chat_system(PROMPTS, MEMO, [], RUBRIC, {})


def test_a_localized_text_compares_and_serialises_as_its_text():
    text = Localized({"en": "Plan", "es": "Plan y pasos"})
    assert text == "Plan" and f"{text}" == "Plan" and text.in_language("es") == "Plan y pasos"
    assert yaml.safe_dump({"k": str(text.in_language("es"))}, allow_unicode=True).strip() == "k: Plan y pasos"
