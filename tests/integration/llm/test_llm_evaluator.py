"""The LLM evaluator end to end over HTTP: valid answers, one repair, and quotes checked against the memo."""

import json
from pathlib import Path

import pytest
import yaml

from memo_coach.coaching.config_schemas import LLMConfig, PromptConfig, ProviderSettings
from memo_coach.coaching.llm.breaker import CircuitBreaker
from memo_coach.coaching.llm.client import LLMClient
from memo_coach.coaching.llm.errors import LLMError
from memo_coach.coaching.llm.evaluator import InvalidAnswer, LLMEvaluator, extract_json, keep_found_quotes
from memo_coach.coaching.result import SegmentFeedback
from memo_coach.coaching.rubric import Rubric

CONFIG = Path(__file__).resolve().parents[3] / "config"
MEMO = (
    "We recommend opening a Berlin office by March 2027.\n\n"
    'The "pilot team"   of six people\ncosts $2M and pays back in 18 months.\n'
    "Approve the budget by 15 January."
)


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return Rubric.model_validate(yaml.safe_load((CONFIG / "rubric.yaml").read_text()))


@pytest.fixture(scope="module")
def prompts() -> PromptConfig:
    return PromptConfig.model_validate(yaml.safe_load((CONFIG / "prompt.yaml").read_text()))


@pytest.fixture(params=["anthropic", "openai"])
def evaluator(request, fake, llm_process) -> LLMEvaluator:
    url = fake.anthropic_base_url if request.param == "anthropic" else fake.openai_base_url
    config = LLMConfig(timeout_seconds=0.5, max_retries=1, backoff_base_seconds=0.01)
    client = LLMClient(
        request.param,
        ProviderSettings(model="test-model", base_url=url),
        config,
        "key",
        CircuitBreaker(),
        sleep=lambda s: None,
        process=llm_process,
    )
    return LLMEvaluator(client)


def answer(rubric: Rubric, quotes: list[str], score: int = 3, fenced: bool = False) -> str:
    """A `text:` behaviour answering with a valid evaluation that quotes `quotes`."""
    data = {
        "strengths": ["Leads with the recommendation."],
        "opportunities": ["Name the risks."],
        "rubric_scores": [{"criterion_id": c.id, "score": score, "justification": "Because."} for c in rubric.criteria],
        "segment_feedback": [{"quote": q, "comment": "Comment."} for q in quotes],
    }
    text = json.dumps(data)
    return "text:" + (f"Here is my evaluation:\n```json\n{text}\n```\nHope it helps." if fenced else text)


def test_a_good_answer_becomes_an_evaluation(evaluator, fake, rubric, prompts):
    evaluated = evaluator.evaluate(MEMO, rubric, prompts)
    assert {s.criterion_id for s in evaluated.result.rubric_scores} == {c.id for c in rubric.criteria}
    assert evaluated.provider == evaluator.client.provider and evaluated.model == "test-model"
    assert not evaluated.repaired and evaluated.dropped_quotes == 0
    assert evaluated.result.segment_feedback[0].quote == "We recommend opening a Berlin office by March 2027."
    assert fake.request_count == 1


def test_the_prompt_sent_contains_the_memo_and_every_criterion(evaluator, fake, rubric, prompts):
    evaluator.evaluate(MEMO, rubric, prompts)
    body = json.dumps(fake.requests[0]["json"])
    assert json.dumps(MEMO)[1:-1] in body
    for c in rubric.criteria:
        assert f"criterion_id: {c.id}" in body


def test_a_fenced_answer_with_prose_around_it_is_accepted(evaluator, fake, rubric, prompts):
    fake.script(answer(rubric, ["Approve the budget by 15 January."], fenced=True))
    evaluated = evaluator.evaluate(MEMO, rubric, prompts)
    assert not evaluated.repaired


def test_a_malformed_answer_is_repaired_once(evaluator, fake, rubric, prompts):
    fake.script("malformed", "good")
    evaluated = evaluator.evaluate(MEMO, rubric, prompts)
    assert evaluated.repaired
    assert fake.request_count == 2
    # The repair conversation shows the model its bad answer and says what was wrong.
    repair_messages = fake.requests[1]["json"]["messages"]
    assert repair_messages[-2]["role"] == "assistant" and "not json" in repair_messages[-2]["content"]
    assert "no JSON object" in repair_messages[-1]["content"]


def test_an_answer_missing_fields_is_repaired(evaluator, fake, rubric, prompts):
    fake.script("invalid", "good")
    assert evaluator.evaluate(MEMO, rubric, prompts).repaired
    assert "does not match the schema" in json.dumps(fake.requests[1]["json"]["messages"][-1])


def test_scores_off_the_rubric_are_repaired(evaluator, fake, rubric, prompts):
    fake.script(answer(rubric, [], score=9), "good")
    assert evaluator.evaluate(MEMO, rubric, prompts).repaired
    assert "off the 1-5 scale" in fake.requests[1]["json"]["messages"][-1]["content"]


def test_malformed_twice_is_an_error(evaluator, fake, rubric, prompts):
    fake.script("malformed", "invalid", "good")
    with pytest.raises(LLMError, match="model answered malformed JSON twice") as caught:
        evaluator.evaluate(MEMO, rubric, prompts)
    assert not caught.value.retryable
    assert fake.request_count == 2  # exactly one repair attempt


def test_a_transport_failure_is_passed_on(evaluator, fake, rubric, prompts):
    fake.script("status:500", "status:500")
    with pytest.raises(LLMError, match="HTTP 500"):
        evaluator.evaluate(MEMO, rubric, prompts)


def test_quotes_not_in_the_memo_are_dropped_and_counted(evaluator, fake, rubric, prompts):
    quotes = [
        "We recommend opening a Berlin office by March 2027.",  # exact
        "The \u201cpilot team\u201d of six people costs $2M",  # curly quotes, whitespace collapsed
        "We should close the Paris office.",  # invented
    ]
    fake.script(answer(rubric, quotes))
    evaluated = evaluator.evaluate(MEMO, rubric, prompts)
    assert evaluated.dropped_quotes == 1
    kept = [item.quote for item in evaluated.result.segment_feedback]
    # The stored quote is the memo's own text, so the page can highlight it.
    assert kept == [quotes[0], 'The "pilot team"   of six people\ncosts $2M']


def test_extract_json_takes_the_first_object_after_prose():
    assert extract_json('Sure! {"a": 1} and {"b": 2}') == {"a": 1}
    assert extract_json('```json\n{"a": {"b": [1, 2]}}\n```') == {"a": {"b": [1, 2]}}
    assert extract_json('Note {not json} then {"a": 1}') == {"a": 1}
    with pytest.raises(InvalidAnswer, match="empty"):
        extract_json("  ")
    with pytest.raises(InvalidAnswer, match="no JSON object"):
        extract_json("[1, 2]")


def test_keep_found_quotes_matches_across_whitespace_and_quote_styles():
    memo = "It\u2019s late.\n\nWe  need   a decision."
    items = [
        SegmentFeedback(quote="It's late.", comment="c"),
        SegmentFeedback(quote="We need a decision.", comment="c"),
    ]
    kept, dropped = keep_found_quotes(items, memo)
    assert dropped == 0
    assert [k.quote for k in kept] == ["It\u2019s late.", "We  need   a decision."]


SPANISH_MEMO = (
    "Solicitamos la aprobación de 18.000 EUR antes del 15 de mayo para renovar el sistema de reservas.\n\n"
    "Recepción dedica nueve horas a la semana a resolver reservas duplicadas (registro de incidencias, abril)."
)


def test_a_spanish_memo_is_sent_with_the_spanish_prompt_and_marked_spanish(evaluator, fake, rubric, prompts):
    evaluated = evaluator.evaluate(SPANISH_MEMO, rubric, prompts)
    body = json.dumps(fake.requests[0]["json"], ensure_ascii=False)
    assert "escribe en español todos los textos de tu respuesta" in body  # the Spanish system prompt
    assert "Evalúa el memorando de empresa" in body and "### Pruebas y respaldo (criterion_id:" in body
    assert "Evaluate the business memo" not in body and "Evidence and support" not in body
    assert evaluated.result.language == "es" and evaluated.result.language_note is None


def test_an_english_memo_is_sent_with_the_english_prompt(evaluator, fake, rubric, prompts):
    evaluated = evaluator.evaluate(MEMO, rubric, prompts)
    body = json.dumps(fake.requests[0]["json"], ensure_ascii=False)
    assert "Write every text of your answer in English." in body and "español" not in body
    assert evaluated.result.language == "en"
