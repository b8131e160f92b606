"""Sample memos shipped with the package: ladders from weak to strong on realistic topics."""

from importlib.resources import files

import pytest

from memo_coach.coaching.samples import LEVELS, get_sample, list_samples, pairs


def test_samples_ship_as_package_data():
    shipped = sorted(
        p.name for p in files("memo_coach.coaching").joinpath("samples").iterdir() if p.name.endswith(".md")
    )
    assert shipped == sorted(f"{s.name}.md" for s in list_samples())


def test_there_are_at_least_three_topics_each_with_a_weak_and_a_strong_memo():
    by_topic: dict[str, set[str]] = {}
    for sample in list_samples():
        by_topic.setdefault(sample.topic, set()).add(sample.level)
    assert len(by_topic) >= 3
    assert all({"weak", "strong"} <= levels for levels in by_topic.values())


def test_samples_are_listed_by_topic_weakest_first():
    listed = list_samples()
    keys = [(s.topic, LEVELS.index(s.level)) for s in listed]
    assert keys == sorted(keys)
    assert listed == list_samples()  # stable order for demos and dry-runs


def test_pairs_put_the_weaker_memo_first_within_one_topic():
    found = pairs()
    assert len(found) >= 3
    for weaker, stronger in found:
        assert weaker.topic == stronger.topic
        assert LEVELS.index(weaker.level) < LEVELS.index(stronger.level)


@pytest.mark.parametrize("sample", list_samples(), ids=lambda s: s.name)
def test_each_sample_is_a_real_memo_with_a_readable_title(sample):
    assert sample.level in LEVELS
    assert sample.title.endswith(f"({sample.level})") and sample.title[0].isupper()
    assert len(sample.text.split()) >= 80  # a memo, not a placeholder
    assert sample.text.startswith("Subject:")


def test_a_sample_is_found_by_name_and_an_unknown_name_lists_the_known_ones():
    assert get_sample("hiring-plan-strong").level == "strong"
    with pytest.raises(KeyError, match="budget-request-weak"):
        get_sample("no-such-memo")
