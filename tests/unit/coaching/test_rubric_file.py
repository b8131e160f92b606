"""config/rubric.yaml: the default rubric validates and gives real guidance at every level."""

from pathlib import Path

import yaml

from memo_coach.coaching.rubric import ANALYZER_DIMENSIONS, Rubric

RUBRIC_FILE = Path(__file__).resolve().parents[3] / "config" / "rubric.yaml"


def load() -> Rubric:
    return Rubric.model_validate(yaml.safe_load(RUBRIC_FILE.read_text(encoding="utf-8")))


def test_the_rubric_file_validates_with_a_one_to_five_scale():
    rubric = load()
    assert (rubric.scale.min, rubric.scale.max) == (1, 5)
    assert rubric.total_weight == 100


def test_there_are_about_six_weighted_criteria_covering_every_analyzer_dimension():
    rubric = load()
    assert 5 <= len(rubric.criteria) <= 8
    assert sum(c.weight for c in rubric.criteria) == rubric.total_weight
    assert {c.analyzer for c in rubric.criteria} == set(ANALYZER_DIMENSIONS)


def test_every_score_of_every_criterion_has_its_own_real_guidance():
    for criterion in load().criteria:
        texts = [criterion.guidance[p] for p in range(1, 6)]
        assert all(len(t.split()) >= 12 for t in texts), criterion.id  # a description, not "poor"/"good"
        assert len(set(texts)) == 5, criterion.id
        assert len(criterion.description.split()) >= 10, criterion.id


def test_the_frameworks_include_pyramid_scqa_and_bluf_with_guidance():
    frameworks = {f.id: f for f in load().frameworks}
    assert {"pyramid_principle", "scqa", "bluf"} <= set(frameworks)
    for framework in frameworks.values():
        assert len(framework.summary.split()) >= 15
        assert len(framework.guidance) >= 3 and all(isinstance(g, str) and g.strip() for g in framework.guidance)
