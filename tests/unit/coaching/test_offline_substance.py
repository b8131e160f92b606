"""Substance over cue words (issue 25): each rule with a sentence that must count and one that must not."""

import pytest
import yaml

from memo_coach.coaching.offline import OfflineEvaluator, lexicon
from memo_coach.coaching.offline.features import extract_features
from memo_coach.coaching.offline.scoring import judge
from memo_coach.coaching.offline.substance import distinct_claims, is_fragment, says_what_is_done
from memo_coach.coaching.offline.text import Sentence, blocks, sentences
from memo_coach.coaching.offline.topic import content_stems
from tests.support.corpus import REPO, is_bare_salutation

RUBRIC_TEXT = (REPO / "config" / "rubric.yaml").read_text(encoding="utf-8")
EVALUATOR = OfflineEvaluator(background_load=False)


def features(*lines: str):
    return extract_features("\n\n".join(lines))


def one(text: str) -> Sentence:
    [sentence] = sentences(text)
    return sentence


# --- Evidence: a figure measures something named beside it; a source names an origin


@pytest.mark.parametrize(
    "sentence",
    [
        "Spanish billing tickets fell by 35% within three months.",
        "In February the servers crashed 23 times.",
        "A contractor quoted $86,000.",
    ],
)
def test_a_figure_that_measures_something_is_evidence(sentence):
    assert features(sentence).evidence.figures == 1


@pytest.mark.parametrize(
    "sentence",
    [
        "The numbers speak for themselves: 45%, 12% and 3.2x.",  # a bare list
        "It brings a 40% uplift for everyone involved.",  # a generic noun
        "We will review progress in week 2 with the team.",  # a label, not a figure
        "Evidence: 40% uplift.",  # a label-colon fragment
    ],
)
def test_a_figure_with_nothing_named_beside_it_is_not(sentence):
    assert features(sentence).evidence.figures == 0


def test_a_named_origin_is_a_source():
    f = features("The servers crashed 23 times in February (monitoring log, February), per Gartner's survey.")
    assert {"monitoring log, February", "Gartner's survey"} <= set(f.evidence.source_texts)


@pytest.mark.parametrize(
    "sentence",
    [
        "Per the report, data shows 23 outages a month.",  # cue phrases
        "Each outage costs a tester 40 minutes of work.",  # minutes of time
        "The pilot cut outages by 23% (report, Q3).",  # a bare noun and a date
    ],
)
def test_a_cue_phrase_or_a_bare_noun_is_not_a_source(sentence):
    assert features(sentence).evidence.sources == 0


def test_a_claim_repeated_in_other_words_counts_once():
    said = sentences(
        "Parking is the biggest complaint we hear. The biggest complaint we hear is parking. Desks are fine."
    )
    stems = {s.start: content_stems(s.text) for s in said}
    assert [s.text for s in distinct_claims(tuple(said), stems)] == [said[0].text, said[2].text]
    f = features(
        "Staff lose 20 minutes a day looking for parking.",
        "That is 20 minutes a day, every day, lost to parking.",
        "Again, people tell me they lose 20 minutes a day to parking.",
    )
    assert f.evidence.figures == 1 and f.evidence.restated == 2


# --- Risks: an uncertain event with something at stake, handled by saying what will be done


def test_a_specific_risk_and_a_concrete_handling_count():
    f = features(
        "The main risk is that the supplier delivers late, which would push the rollout into the release freeze. "
        "We will keep the old servers running until every suite passes on the new ones."
    )
    assert f.risks.risks == 1 and f.risks.mitigations == 1


@pytest.mark.parametrize(
    "memo",
    [
        "Data shows risk. Risk: mitigated, we will manage it.",
        "There is a risk that things could slip. We will mitigate it and manage it closely.",
        "All programmes carry risks. Risks will be identified, assessed and mitigated in line with the framework.",
    ],
)
def test_risk_as_a_word_and_empty_handling_do_not(memo):
    f = features(memo)
    assert f.risks.risks == 0 and f.risks.mitigations == 0


def test_a_handling_must_say_what_will_be_done():
    assert says_what_is_done("We will run both ticketing tools in parallel for two weeks.")
    assert not says_what_is_done("If anything goes wrong, we will handle it.")


# --- Clarity: judged on sentences, not on slogans and label-colon lists


@pytest.mark.parametrize("text", ["Risk: mitigated.", "Speed wins.", "Next steps: align, execute, deliver."])
def test_slogans_and_empty_label_entries_are_fragments(text):
    assert is_fragment(one(text))


@pytest.mark.parametrize(
    "text", ["Cost: $62,000 one-off (Dell quote, 3 March).", "Owner: Ana Ruiz", "A contractor quoted $86,000."]
)
def test_a_list_item_that_names_things_and_a_short_sentence_are_not(text):
    assert not is_fragment(one(text))


SLOGANS = "Bold moves. Big results.\n\nAsk: approve the budget.\nSource: per the Gartner report.\nData shows risk.\nRisk: mitigated, we will manage it.\nOwner: leadership.\nNext steps: align, execute, deliver.\n\nSpeed wins. Momentum is everything."
PROSE = (
    "I request $38,400 for four test servers by 17 March. In February the old servers crashed 23 times, and "
    "each crash cost a tester about 40 minutes. The supplier quoted $9,600 per server with three years of support."
)


def test_a_memo_of_fragments_is_not_plain_writing():
    assert judge("clarity", extract_features(SLOGANS)).score <= 2
    assert judge("structure", extract_features(SLOGANS)).score <= 2
    assert judge("clarity", extract_features(PROSE)).score == 3  # the most a memo under 40 words gets


# --- Plan: heard in any form that says who does what by when


def test_a_plan_in_prose_after_if_you_approve_is_a_plan_and_not_the_ask():
    f = features(
        "I'd like your approval to spend $38,400 on four test servers by 17 March, to catch the April slot.",
        "If you approve, I will place the order on 21 March and send you a rollout report on 15 April.",
    )
    assert [s.text for s in f.ask.requests] == [f.body[0].text]
    assert f.plan.steps == (f.body[1],)
    assert judge("plan", f).score >= 3


def test_a_dated_plan_in_a_revised_memo_is_a_plan():
    f = features(
        "Please confirm two weeks of Lena's time by 28 May.",
        "2 June: Lena starts and interviews the four newest agents.\n"
        "13 June: Lena shares the draft checklist with the team leads.",
    )
    assert judge("plan", f).score >= 3


def test_a_past_dated_line_or_passive_boilerplate_is_not_a_plan():
    f = features(
        "In March we replaced the scanners in both branches.",
        "Roles and responsibilities will be defined at the mobilisation stage.",
    )
    assert judge("plan", f).score == 1


# --- Comments land on the right words


def test_a_name_alone_greets_and_a_signature_signs_off():
    memo = "Priya,\n\nI request $40,000 for laptops by Friday.\n\nPriya Shah,\nHead of IT"
    assert [b.kind for b in blocks(memo)] == ["salutation", "paragraph", "salutation", "salutation"]


def test_a_strong_opening_is_praised_on_the_point_never_on_the_greeting():
    memo = (
        "To: Priya Natarajan\nSubject: Test servers\n\nPriya,\n\n"
        "I request $38,400 for four test servers by 17 March, to catch the April delivery slot.\n\n" + PROSE
    )
    result = EVALUATOR.evaluate(memo, _rubric()).result
    praised = [f.quote for f in result.segment_feedback if f.comment.startswith("A strong opening")]
    assert praised == ["I request $38,400 for four test servers by 17 March, to catch the April delivery slot."]
    assert not any(is_bare_salutation(f.quote) for f in result.segment_feedback)
    assert all(f.quote in memo for f in result.segment_feedback)


@pytest.mark.parametrize(
    ("sentence", "passive"),
    [
        ("The testers are tired of rerunning suites.", None),
        ("Two nurses are interested in the pilot.", None),
        ("This is indeed the cheaper option.", None),
        ("The testers were tired by the night shifts.", "were tired"),
        ("The order was approved by Finance.", "was approved"),
        ("The servers were replaced in May.", "were replaced"),
    ],
)
def test_passive_is_a_form_of_be_and_a_participle_not_an_adjective(sentence, passive):
    found = lexicon.PASSIVE.search(sentence)
    assert (found.group() if found else None) == passive


def _rubric():
    from memo_coach.coaching.rubric import Rubric

    return Rubric.model_validate(yaml.safe_load(RUBRIC_TEXT))
