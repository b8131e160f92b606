"""The chat's offline answer: honest about having no model, answering the question asked, from the
writer's own memo (development corpus memos; the held-out set is never read here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from memo_coach.coaching.chat import offline_answer
from memo_coach.coaching.chat_phrases import PHRASES
from memo_coach.coaching.chat_questions import what_is_asked
from memo_coach.coaching.rubric import Rubric

ROOT = Path(__file__).resolve().parents[3]
RUBRIC = Rubric(**yaml.safe_load((ROOT / "config" / "rubric.yaml").read_text()))
DEV = ROOT / "tests" / "corpus" / "dev" / "memos"
# The mark of a rewrite, in each language: what follows it must be a sentence, not an instruction.
COULD_READ = re.compile(r"^(?:It could read|Podría decir): [“«](.*)[”»]$", re.MULTILINE)
INSTRUCTION = re.compile(
    r"^(?:move|open|add|put|cut|say|give|make|end|start|use|ponga|abra|añada|diga|dé|empiece|termine)\b", re.I
)


def memo(name: str) -> str:
    return (DEV / name).read_text(encoding="utf-8")


def answer(question: str, name: str, result: dict | None = None) -> str:
    return offline_answer(question, memo(name), RUBRIC, result or {}, "no language model is configured")


def quotes(text: str) -> list[str]:
    """The writer's words the answer quotes: every paragraph that starts with "> "."""
    return [block[2:] for block in text.split("\n\n") if block.startswith("> ")]


def honest(text: str, name: str) -> list[str]:
    """Checks every answer must pass; returns the quotes for further checks."""
    quoted = quotes(text)
    for quote in quoted:
        assert quote in memo(name), f"not the memo's words: {quote!r}"
    for rewrite in COULD_READ.findall(text):
        assert not INSTRUCTION.match(rewrite), f"an instruction offered as a rewrite: {rewrite!r}"
        assert rewrite not in quoted, f"a 'rewrite' that repeats the sentence: {rewrite!r}"
    assert "\n> " not in text.replace("\n\n> ", "")  # a quote always starts its own paragraph
    return quoted


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Which numbers should I add?", ("numbers",)),
        ("What figures would back this up?", ("numbers",)),
        ("Where should I cite data or sources?", ("numbers",)),
        ("What should my first sentence say?", ("opening",)),
        ("How should I open the memo?", ("opening",)),
        ("Is the ask clear?", ("ask",)),
        ("Is it clear what I'm requesting?", ("ask",)),
        ("How do I make the risks section better?", ("risks",)),
        ("What could go wrong, and have I covered it?", ("risks",)),
        ("What should the next steps say?", ("plan",)),
        ("Is the timeline believable?", ("plan",)),
        ("Is it too long?", ("length",)),
        ("Can I make it more concise?", ("length",)),
        ("How do I improve this memo?", ("improve",)),
        ("What do you think?", ("improve",)),
        ("Is my evidence strong?", ("numbers",)),
        ("¿Qué cifras debería añadir?", ("numbers",)),
        ("¿Está clara mi petición?", ("ask",)),
        ("¿Qué debería decir la primera frase?", ("opening",)),
        ("¿Cuáles son los próximos pasos?", ("plan",)),
        ("What is the capital of France?", ()),
    ],
)
def test_questions_are_recognised_by_intent_with_synonyms(question, kinds):
    assert what_is_asked(question, RUBRIC).kinds == kinds


def test_a_framework_is_found_by_its_name_not_by_the_everyday_words_of_its_gloss():
    assert [f.id for f in what_is_asked("Should I use BLUF or the Pyramid Principle?", RUBRIC).frameworks] == [
        "pyramid_principle",
        "bluf",
    ]
    assert what_is_asked("What should my first sentence say?", RUBRIC).frameworks == ()


def test_the_answer_says_it_is_not_ai():
    text = answer("Is the ask clear?", "pricing-medium.eml")
    assert text.startswith("The coach is offline right now (no language model is configured)")
    assert "not from an AI" in text


def test_which_numbers_names_the_unmeasured_claims_and_the_figure_each_needs():
    text = answer("Which numbers should I add?", "hiring-weak.md")
    quoted = honest(text, "hiring-weak.md")
    assert "These claims have nothing measured behind them:" in text
    assert "The finance team has been very busy lately." in quoted
    assert "People are working late quite often and morale is not great." in quoted
    assert "a workload measure: hours of overtime" in text  # busy: a workload figure
    assert "a survey result or a count of complaints" in text  # morale: a survey
    assert "does not name part of the rubric" not in text


def test_which_numbers_points_at_a_figure_without_its_source_and_adds_the_gap_to_that_sentence():
    text = answer("Which numbers should I add?", "pricing-medium.eml")
    quoted = honest(text, "pricing-medium.eml")
    sentence = "Competitors charge $16 to $19 for similar plans, while we charge $12."
    assert sentence in quoted
    assert (
        "It could read: “Competitors charge $16 to $19 for similar plans, while we charge $12 ([source], [date]).”"
        in text
    )


def test_the_first_sentence_question_quotes_the_opening_and_the_buried_point():
    text = answer("What should my first sentence say?", "pricing-medium.eml")
    quoted = honest(text, "pricing-medium.eml")
    assert quoted[0].startswith("Our hosting costs per Basic customer")
    assert "I propose we raise the Basic plan to $15 a month for new customers." in quoted
    assert "Advice: make that sentence the first one" in text
    assert "Move this after your point" not in text


def test_an_opening_that_states_the_point_is_kept_without_a_fake_rewrite():
    text = answer("What should my first sentence say?", "servers-strong-email.eml")
    honest(text, "servers-strong-email.eml")
    assert "Your first sentence states your point:" in text and "Keep it first." in text
    assert "It could read" not in text


def test_whether_the_ask_is_clear_says_what_it_lacks_and_completes_that_sentence():
    text = answer(
        "Is the ask clear?", "pricing-medium.eml", {"rubric_scores": [{"criterion_id": "the_ask", "score": 3}]}
    )
    quoted = honest(text, "pricing-medium.eml")
    assert "The ask (your memo scored 3/5):" in text
    assert quoted == ["I propose we raise the Basic plan to $15 a month for new customers."]
    assert "It does not say by when" in text
    assert (
        "It could read: “I propose we raise the Basic plan to $15 a month for new customers, and I need your decision by [date].”"
        in text
    )


def test_a_complete_ask_is_called_clear():
    text = answer("Is my request clear enough?", "servers-strong-email.eml")
    honest(text, "servers-strong-email.eml")
    assert "It is clear: it says how much and by when." in text


def test_a_risk_without_handling_gets_its_own_sentence_completed():
    text = answer("How should I handle the risks?", "pricing-medium.eml")
    quoted = honest(text, "pricing-medium.eml")
    risk = "Some customers may leave because of the increase, but our price test in March suggests the effect is small."
    assert quoted == [risk]
    assert f"It could read: “{risk} To limit this, we will [action] ([owner], [date]).”" in text


def test_a_dated_plan_is_heard_and_quoted_never_called_missing():
    text = answer("What should the plan say?", "servers-strong-email.eml")
    quoted = honest(text, "servers-strong-email.eml")
    assert "Your plan: these sentences say who does what by when." in text
    assert any(q.startswith("If you approve, I will place the order on 18 March") for q in quoted)
    assert "without a plan" not in text and "no sentence that says what happens" not in text


def test_a_memo_with_no_plan_is_told_so_with_advice_not_a_quote_of_its_last_line():
    text = answer("What are the next steps?", "hiring-weak.md")
    assert honest(text, "hiring-weak.md") == []
    assert "I find no sentence that says what happens after a yes." in text
    assert "Advice: end with the first steps" in text


def test_too_long_gives_the_length_and_what_is_missing_from_a_short_memo():
    text = answer("Is it too long?", "hiring-weak.md")
    honest(text, "hiring-weak.md")
    assert re.search(r"Your memo is \d+ words in \d+ sentences", text)
    assert "That is short" in text and "It has no figure, named risk or plan yet." in text


def test_how_do_i_improve_answers_for_the_weakest_criteria():
    result = {
        "rubric_scores": [
            {"criterion_id": "the_ask", "score": 4},
            {"criterion_id": "plan_next_steps", "score": 1},
            {"criterion_id": "evidence_support", "score": 2},
        ]
    }
    text = answer("How do I improve this?", "hiring-weak.md", result)
    honest(text, "hiring-weak.md")
    assert "Here is where your memo has most room:" in text
    assert text.index("Plan and next steps (your memo scored 1/5):") < text.index(
        "Evidence and support (your memo scored 2/5):"
    )


def test_a_question_it_cannot_answer_offline_says_so_and_lists_what_it_can():
    text = answer("What is the capital of France?", "pricing-medium.eml")
    assert "I cannot answer that offline" in text
    assert "- Which numbers should I add?" in text and "- Is my ask clear?" in text
    assert quotes(text) == []


@pytest.mark.parametrize(
    "question",
    [
        "Which numbers should I add?",
        "What should my first sentence say?",
        "Is my ask clear?",
        "What about the risks?",
        "What should the plan say?",
        "Is it too long?",
        "How can I make it clearer?",
        "How do I improve it?",
    ],
)
@pytest.mark.parametrize(
    "name", ["servers-strong-email.eml", "rambling-opening.eml", "growth-slogans.md", "onboarding-revised.md"]
)
def test_every_kind_of_answer_quotes_exactly_and_never_offers_an_instruction_as_a_rewrite(question, name):
    honest(answer(question, name), name)


def test_a_spanish_memo_is_answered_in_spanish_with_its_own_words():
    name = "es-reservas-medium.txt"
    text = answer("¿Está clara mi petición?", name)
    quoted = honest(text, name)
    assert text.startswith("El coach no está disponible ahora (no hay ningún modelo de lenguaje configurado)")
    assert "La petición:" in text and "Esta es su petición:" in text
    assert quoted == ["Nos gustaría que lo aprobarais pronto para poder avanzar."]
    assert "[importe]" in text and "It could read" not in text and "The ask" not in text


def test_a_spanish_memo_gets_spanish_figure_advice():
    name = "es-reservas-medium.txt"
    text = answer("¿Qué datos debería añadir?", name)
    quoted = honest(text, name)
    assert any("Recepción pierde mucho tiempo" in q for q in quoted)
    assert "Qué la respaldaría: un tiempo" in text


def test_every_language_has_every_phrase():
    english, spanish = PHRASES["en"], PHRASES["es"]
    assert english.keys() == spanish.keys()
    for key, text in english.items():
        if isinstance(text, str):
            assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", spanish[key])), key
