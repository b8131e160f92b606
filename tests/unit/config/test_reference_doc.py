"""docs/configuration.md is generated from the schemas; it fails here when someone forgets to regenerate it."""

from memo_coach.cli.config import config_app
from memo_coach.config_store.docs import reference
from memo_coach.config_store.kinds import SCHEMAS
from tests.support.helpers import REPO


def test_the_committed_reference_matches_the_schemas():
    committed = (REPO / "docs" / "configuration.md").read_text()
    assert committed == reference(), "run `memo-coach config docs` and commit docs/configuration.md"


def test_every_file_and_nested_key_is_documented():
    text = reference()
    for name in SCHEMAS:
        assert f"## config/{name}.yaml" in text
    assert "`criteria[].guidance`" in text and "`lockout.max_failures_per_address`" in text


def test_every_config_command_is_in_the_manual():
    manual = (REPO / "docs" / "config.md").read_text()
    commands = [c.name or c.callback.__name__ for c in config_app.registered_commands]
    assert len(commands) >= 10
    assert [c for c in commands if f"memo-coach config {c}" not in manual and f"/ `{c} " not in manual] == []
