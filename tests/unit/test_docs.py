"""Documentation that cannot drift: every setting and every command is documented."""

from memo_coach.settings import Settings
from tests.support.helpers import REPO


def env_name(name: str, field) -> str:
    return field.validation_alias if isinstance(field.validation_alias, str) else f"MEMO_COACH_{name.upper()}"


def test_every_setting_is_in_the_settings_doc():
    doc = (REPO / "docs" / "settings.md").read_text()
    missing = [env_name(n, f) for n, f in Settings.model_fields.items() if f"`{env_name(n, f)}`" not in doc]
    assert missing == []


def test_the_readme_shows_the_two_commands():
    readme = (REPO / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
