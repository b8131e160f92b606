"""The offline coach against the labelled corpus (tests/corpus): a change that makes it worse fails here.

Two sets (tests/corpus/README.md). The dev set is what the analyzer is tuned on: its dimension
bands and ranking are checked memo by memo. The held-out set is checked against issue 25's goals,
per language, and its failures name only aggregates and the memos that break a goal, never
per-memo scores, so that nobody tunes the analyzer to it.
"""

from functools import cache

import pytest

from memo_coach.coaching.language import detect
from memo_coach.coaching.offline import OfflineEvaluator
from memo_coach.coaching.result import CriterionScore, EvaluationResult, SegmentFeedback
from tests.support.corpus import (
    LANGUAGES,
    agreement,
    by_language,
    default_rubric,
    dimension_scores,
    gap_breakers,
    is_bare_salutation,
    load_corpus,
    quote_breakers,
    quote_problems,
    score_memos,
    spearman,
)

DEV = load_corpus("dev")
HELDOUT = load_corpus("heldout")
RUBRIC = default_rubric()
EVALUATOR = OfflineEvaluator()
# Dev: measured at 0.936 when the corpus was written; a drop below this is a regression in ranking.
MIN_DEV_SPEARMAN = 0.88
# Held-out goals from issue 25, for each language on its own.
MIN_HELDOUT_SPEARMAN = 0.85
MIN_ADVERSARIAL_GAP = 1.0
# Held-out shape: enough memos per language that one misjudged memo cannot swing the goals.
MIN_HELDOUT = {"en": (28, 9), "es": (8, 2)}  # language -> (memos, adversarial memos)
# Where the held-out set stands against those goals today (measured when it was written, before and
# after the analyzer's rework: English Spearman 0.734 -> 0.792, gap -1.05 -> -0.70; Spanish gap 0.75).
# A goal not yet reached is a strict xfail: it still runs, and reaching it fails the run until the
# mark is removed. The floors below keep what has been reached from sliding back.
NOT_YET = {
    ("spearman", "en"): "held-out English ranking is 0.789, the goal 0.85 (issue 25 stays open)",
    ("gap", "en"): "held-out English: adversarial memos within 1.0 of the weakest strong one (gap -0.70)",
    ("gap", "es"): "held-out Spanish: adversarial memos within 1.0 of the weakest strong one (gap 0.75)",
    ("quotes", "en"): "one held-out English memo still has a comment anchored on a greeting or sign-off",
}
HELDOUT_FLOORS = {"en": {"spearman": 0.78, "gap": -0.8}, "es": {"spearman": 0.85, "gap": 0.7}}


def goal(check: str) -> list:
    """The languages, each marked as a strict expected failure where its goal is not reached yet."""
    return [
        pytest.param(lang, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[check, lang]))
        if (check, lang) in NOT_YET
        else lang
        for lang in LANGUAGES
    ]


# Issue 25's size for the whole corpus, dev and held-out together.
MIN_CORPUS, MIN_CORPUS_ADVERSARIAL, MIN_CORPUS_SPANISH = 60, 12, 15


@cache
def heldout_by_language() -> dict:
    """Scored once per test run: every held-out test reads the same answers."""
    return by_language(score_memos(EVALUATOR, HELDOUT, RUBRIC))


# --- The development set


def test_the_dev_set_is_big_and_varied_enough_to_calibrate_on():
    assert len(DEV) >= 30
    assert {m.format for m in DEV} == {"markdown", "plain text", "email"}
    assert len({m.name.split("-")[0] for m in DEV}) >= 8  # topics
    assert sum(m.adversarial for m in DEV) >= 3
    assert min(m.quality for m in DEV) < 2 and max(m.quality for m in DEV) > 4.5


@pytest.mark.parametrize("memo", DEV, ids=lambda m: m.name)
def test_each_dimension_lands_in_its_labelled_band(memo):
    outside = {
        dim: (score, memo.bands[dim])
        for dim, score in dimension_scores(memo.text, memo.language).items()
        if not memo.bands[dim][0] <= score <= memo.bands[dim][1] and dim not in memo.known_misses
    }
    assert outside == {}, f"{memo.name}: score outside the labelled band (score, band): {outside}"


def test_the_overall_score_ranks_dev_memos_as_the_labels_do():
    scored = score_memos(EVALUATOR, DEV, RUBRIC)
    assert spearman([s.overall for s in scored], [m.quality for m in DEV]) >= MIN_DEV_SPEARMAN


def test_keyword_stuffing_never_outscores_a_strong_dev_memo():
    scored = score_memos(EVALUATOR, DEV, RUBRIC)
    assert gap_breakers(scored, MIN_ADVERSARIAL_GAP) == []


# --- The held-out set (never read while tuning)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_heldout_set_has_weak_medium_strong_and_adversarial_memos_in_every_format(language):
    memos = [m for m in HELDOUT if m.language == language]
    least, least_adversarial = MIN_HELDOUT[language]
    assert len(memos) >= least
    assert sum(m.adversarial for m in memos) >= least_adversarial
    assert {m.format for m in memos} == {"markdown", "plain text", "email"}
    assert sum(m.strong for m in memos) >= len(memos) // 5
    assert sum(2.5 <= m.quality < 4 for m in memos) >= len(memos) // 5
    assert sum(m.quality < 2.5 and not m.adversarial for m in memos) >= 2


@pytest.mark.parametrize("language", goal("spearman"))
def test_heldout_ranking_agrees_with_the_labels(language):
    numbers = agreement(heldout_by_language()[language])
    assert numbers["spearman"] >= MIN_HELDOUT_SPEARMAN, f"held-out ({language}) aggregates: {numbers}"


@pytest.mark.parametrize("language", goal("gap"))
def test_every_heldout_adversarial_memo_stays_a_point_below_every_strong_one(language):
    scored = heldout_by_language()[language]
    breakers = gap_breakers(scored, MIN_ADVERSARIAL_GAP)
    assert breakers == [], f"held-out ({language}) aggregates: {agreement(scored)}; too close to strong: {breakers}"


@pytest.mark.parametrize("language", goal("quotes"))
def test_every_heldout_quote_is_the_writers_words_and_not_a_greeting(language):
    breakers = quote_breakers(heldout_by_language()[language])
    assert breakers == {}, f"held-out ({language}) memos with quote problems: {breakers}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_heldout_numbers_do_not_slide_below_where_they_stand(language):
    numbers = agreement(heldout_by_language()[language])
    floors = HELDOUT_FLOORS[language]
    assert numbers["spearman"] >= floors["spearman"], f"held-out ({language}) aggregates: {numbers}"
    assert numbers["gap"] >= floors["gap"], f"held-out ({language}) aggregates: {numbers}"


# --- The whole corpus


def test_the_whole_corpus_reaches_the_size_issue_25_asks_for():
    everything = DEV + HELDOUT
    counts = {
        "memos": len(everything),
        "adversarial": sum(m.adversarial for m in everything),
        "spanish": sum(m.language == "es" for m in everything),
    }
    assert counts["memos"] >= MIN_CORPUS, counts
    assert counts["adversarial"] >= MIN_CORPUS_ADVERSARIAL, counts
    assert counts["spanish"] >= MIN_CORPUS_SPANISH, counts


def test_every_memo_is_coached_in_its_labelled_language():
    """A Spanish memo scored as (bad) English would make its numbers meaningless."""
    assert [m.name for m in DEV + HELDOUT if detect(m.text).code != m.language] == []


def test_no_memo_is_in_both_sets():
    assert {m.text for m in DEV} & {m.text for m in HELDOUT} == set()
    assert {m.name for m in DEV} & {m.name for m in HELDOUT} == set()


# --- The measuring tools themselves


def test_spearman_handles_ties_and_perfect_orders():
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1.0
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    assert spearman([1, 1, 2, 3], [1, 2, 3, 4]) == pytest.approx(0.949, abs=0.001)


BARE = ["Priya,", "Hi Ken,", "Dear Mr. Harrison,", "Thanks,\nPriya", "Best regards, Andrzej Kowalczyk", "Javier:"]
BARE_ES = ["Hola, Andrés:", "Un saludo,", "Estimados compañeros:"]


@pytest.mark.parametrize("passage", [*BARE, *BARE_ES])
def test_greetings_and_sign_offs_are_bare(passage):
    assert is_bare_salutation(passage)


@pytest.mark.parametrize(
    "passage",
    ["Kofi Asante", "Best option is B.", "Thanks to the new scanner, errors fell by 40%.", "Risk: mitigated."],
)
def test_content_is_not_mistaken_for_a_greeting(passage):
    assert not is_bare_salutation(passage)


def _result(quote: str, justification: str, comment: str = "A clear sentence.") -> EvaluationResult:
    return EvaluationResult(
        strengths=["Clarity (4/5): short sentences."],
        opportunities=["Plan (2/5): name an owner."],
        rubric_scores=[CriterionScore(criterion_id="clarity", score=4, justification=justification)],
        segment_feedback=[SegmentFeedback(quote=quote, comment=comment)],
    )


MEMO = "Priya,\n\nPlease approve $9,200 for the audit by Friday.\nThe scan found 61 issues on\nthe checkout screens. It is the best option.\n"


def test_the_quote_check_accepts_the_writers_words_even_cut_or_rewrapped():
    justification = 'Your ask is "Please approve $9,200 for the audit…"; "The scan found 61 issues on the checkout…"'
    comment = "'best' is a claim to back; passive voice ('found') hides who acts."
    result = _result("Please approve $9,200 for the audit by Friday.", justification, comment)
    assert quote_problems(MEMO, result) == []


ANCHOR = "The scan found 61 issues on"
MISQUOTES = [  # (segment quote, justification, comment, the one problem expected)
    ("Priya,", "Fine.", "A strong opening.", "a comment is anchored on a greeting or sign-off"),
    ("Please approve $9,300", "Fine.", "A clear ask.", "a comment's quote is not in the memo"),
    (ANCHOR, 'You open with "Priya,"', "Fine.", "the feedback quotes a greeting or sign-off"),
    (ANCHOR, 'Sources: "Per the report"', "Fine.", "a passage quoted in the feedback is not in the memo"),
    (ANCHOR, "Fine.", "Passive voice ('are tired').", "a word a comment quotes is not in the memo"),
]


@pytest.mark.parametrize(("quote", "justification", "comment", "problem"), MISQUOTES)
def test_the_quote_check_catches_misquotes_and_greetings(quote, justification, comment, problem):
    assert quote_problems(MEMO, _result(quote, justification, comment)) == [problem]
