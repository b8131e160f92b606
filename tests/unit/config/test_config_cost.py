"""Finding 4: a small configuration file must not force gigabytes of work or megabytes of pages."""

import pytest

from memo_coach.assembly import assemble
from memo_coach.audit import MAX_DETAILS_CHARS, bounded_details
from memo_coach.config_store.loader import MAX_PROBLEMS, ConfigError, parse
from tests.support.helpers import CONFIG_DIR

assemble()
RUBRIC = (CONFIG_DIR / "rubric.yaml").read_text()


def test_yaml_aliases_are_refused_before_they_expand():
    laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 9):
        laughs += f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]\n"
    with pytest.raises(ConfigError, match="aliases"):
        parse("rubric", laughs)


def test_a_file_with_too_many_values_is_refused():
    with pytest.raises(ConfigError, match="more than"):
        parse("rubric", "frameworks:\n" + "  - x\n" * 30_000)


def test_the_scale_is_bounded():
    with pytest.raises(ConfigError, match="scale"):
        parse("rubric", RUBRIC.replace("max: 5", "max: 10000000"))


def test_the_criteria_list_is_bounded():
    start = RUBRIC.index("criteria:") + len("criteria:\n")
    end = RUBRIC.index("\n  - id:", start + 5)
    one = RUBRIC[start : end + 1]
    many = RUBRIC[:start] + one * 30 + RUBRIC[start:]
    with pytest.raises(ConfigError) as caught:
        parse("rubric", many)
    assert any("at most 20" in p.message for p in caught.value.problems)


def test_the_list_of_problems_is_capped():
    with pytest.raises(ConfigError) as caught:
        parse("auth", "".join(f"unknown_{i}: 1\n" for i in range(500)))
    assert len(caught.value.problems) == MAX_PROBLEMS and "more" in caught.value.problems[-1].message


def test_audit_details_are_capped():
    details = bounded_details({"content": "x" * 1_000_000})
    assert details["truncated"] is True and len(str(details)) < MAX_DETAILS_CHARS + 100
