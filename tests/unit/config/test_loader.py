"""A broken configuration file is refused with its file, line, column and field."""

import pytest

from memo_coach.config_store.kinds import SCHEMAS
from memo_coach.config_store.loader import ConfigError, load_file, parse
from tests.support.helpers import CONFIG_DIR


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_shipped_files_are_valid(name):
    load_file(name, CONFIG_DIR)


def test_a_wrong_value_names_its_line_and_field():
    text = "session_hours: 8\nlockout:\n  max_failures_per_account: 0\n"
    with pytest.raises(ConfigError) as caught:
        parse("auth", text)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column, problem.field) == (3, 29, "lockout.max_failures_per_account")
    assert "config/auth.yaml:3:29: lockout.max_failures_per_account" in str(caught.value)


def test_an_unknown_key_suggests_the_close_one():
    with pytest.raises(ConfigError) as caught:
        parse("auth", "sesion_hours: 8\n")
    problem = caught.value.problems[0]
    assert problem.field == "sesion_hours" and "did you mean 'session_hours'" in problem.message


def test_broken_yaml_names_the_line():
    with pytest.raises(ConfigError) as caught:
        parse("llm", "provider: auto\nanthropic: [unclosed\n")
    assert caught.value.problems[0].line is not None and "YAML syntax" in caught.value.problems[0].message


def test_a_top_level_list_is_refused():
    with pytest.raises(ConfigError, match="mapping"):
        parse("llm", "- a\n- b\n")
