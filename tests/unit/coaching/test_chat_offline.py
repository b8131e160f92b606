"""The chat's offline answer: honest about having no model, and read from the writer's own memo."""

from pathlib import Path

import yaml

from memo_coach.coaching.chat import offline_answer, relevant_guidance
from memo_coach.coaching.rubric import Rubric

RUBRIC = Rubric(**yaml.safe_load((Path(__file__).resolve().parents[3] / "config" / "rubric.yaml").read_text()))
MEMO = (
    "Subject: Move support tickets to HelpDeskPro\n\nHi Dana,\n\n"
    "Our ticket volume is now about 4,200 a month and first response time has slipped to 19 hours.\n\n"
    "I would like to propose that we move to HelpDeskPro, which costs $31,000 a year.\n\n"
    "Switching to HelpDeskPro in a busy quarter is a risk.\n\nThanks,\nPriya\n"
)


def ids(question):
    criteria, frameworks = relevant_guidance(question, RUBRIC)
    return [c.id for c in criteria], [f.id for f in frameworks]


def test_question_words_find_the_criteria_and_frameworks_they_name():
    assert ids("How do I make the ask clearer?") == (["the_ask"], [])
    assert ids("Is my memo too risky?") == (["risks_tradeoffs"], [])
    assert ids("Should I use BLUF or the Pyramid Principle?") == ([], ["pyramid_principle", "bluf"])
    assert ids("Hello there, what do you think?") == ([], [])


def test_the_answer_says_it_is_not_ai_and_quotes_the_writers_own_ask():
    result = {"rubric_scores": [{"criterion_id": "the_ask", "score": 3}]}
    answer = offline_answer("How do I make the ask clearer?", MEMO, RUBRIC, result, "no language model is configured")
    assert answer.startswith("The coach is offline right now (no language model is configured)")
    assert "not from an AI" in answer
    assert "The ask (your memo scored 3/5)" in answer
    assert '"I would like to propose that we move to HelpDeskPro, which costs $31,000 a year."' in answer
    # How it could read: the same ask, completed with what it lacks.
    assert "which costs $31,000 a year, and I need your decision by [date]." in answer
    assert RUBRIC.criterion("the_ask").guidance[4] not in answer  # the rubric is not recited


def test_a_hedged_wish_is_shown_as_a_plain_ask():
    memo = "So I was thinking that maybe we should run more webinars, because people like them."
    answer = offline_answer("How do I make the ask clearer?", memo, RUBRIC, {}, "x")
    assert "a wish" in answer
    assert "We should run more webinars: [exactly what], at a cost of [amount]." in answer


def test_a_risk_without_handling_gets_a_mitigation_to_fill_in():
    answer = offline_answer("Are my risks covered?", MEMO, RUBRIC, {}, "x")
    assert '"Switching to HelpDeskPro in a busy quarter is a risk."' in answer
    assert "To limit this, we will [action] ([owner], [date])." in answer


def test_a_question_naming_no_criterion_is_answered_for_the_weakest_one():
    result = {
        "rubric_scores": [{"criterion_id": "the_ask", "score": 4}, {"criterion_id": "plan_next_steps", "score": 1}]
    }
    answer = offline_answer("What do you think?", MEMO, RUBRIC, result, "x")
    assert "most room: Plan and next steps" in answer
    assert "[Owner] will [first step] by [date]" in answer
