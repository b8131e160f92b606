"""The chat's offline answer: honest about having no model, pointed at the rubric the question names."""

from pathlib import Path

import yaml

from memo_coach.coaching.chat import offline_answer, relevant_guidance
from memo_coach.coaching.rubric import Rubric

RUBRIC = Rubric(**yaml.safe_load((Path(__file__).resolve().parents[3] / "config" / "rubric.yaml").read_text()))


def ids(question):
    criteria, frameworks = relevant_guidance(question, RUBRIC)
    return [c.id for c in criteria], [f.id for f in frameworks]


def test_question_words_find_the_criteria_and_frameworks_they_name():
    assert ids("How do I make the ask clearer?") == (["the_ask"], [])
    assert ids("Is my memo too risky?") == (["risks_tradeoffs"], [])
    assert ids("Should I use BLUF or the Pyramid Principle?") == ([], ["pyramid_principle", "bluf"])
    assert ids("Hello there, what do you think?") == ([], [])


def test_the_answer_says_it_is_not_ai_and_gives_the_next_score_up():
    result = {"rubric_scores": [{"criterion_id": "the_ask", "score": 2}]}
    answer = offline_answer("How do I make the ask clearer?", RUBRIC, result, "no language model is configured")
    assert answer.startswith("The coach is offline right now (no language model is configured)")
    assert "not an AI answer" in answer
    assert "Your memo scored 2. To reach 3: " + RUBRIC.criterion("the_ask").guidance[3] in answer


def test_a_top_score_is_acknowledged_rather_than_pushed_past_the_scale():
    result = {"rubric_scores": [{"criterion_id": "the_ask", "score": 5}]}
    assert "scored 5, the top of the scale" in offline_answer("the ask?", RUBRIC, result, "x")


def test_a_question_naming_no_criterion_gets_the_list_of_criteria():
    answer = offline_answer("What do you think?", RUBRIC, {}, "x")
    assert "did not name a rubric criterion" in answer and "Evidence and support" in answer
