"""`memo-coach config`: validate, set, history, diff and rollback from a shell."""

import shutil

import pytest
from typer.testing import CliRunner

from memo_coach.cli.main import app
from memo_coach.settings import get_settings
from tests.support.helpers import CONFIG_DIR, REPO


@pytest.fixture
def shell(tmp_path, sqlite_url, monkeypatch):
    config_dir = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config_dir)
    monkeypatch.setenv("MEMO_COACH_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("MEMO_COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MEMO_COACH_CONFIG_DIR", str(config_dir))
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, [str(a) for a in args])
    get_settings.cache_clear()


def test_validate_set_history_diff_rollback(shell, tmp_path):
    draft = tmp_path / "llm.yaml"
    draft.write_text((CONFIG_DIR / "llm.yaml").read_text().replace("max_retries: 2", "max_retries: 20"))
    refused = shell("config", "validate", draft)
    assert refused.exit_code == 1 and f"{draft}:" in refused.output and "max_retries" in refused.output

    draft.write_text((CONFIG_DIR / "llm.yaml").read_text().replace("max_retries: 2", "max_retries: 3"))
    assert "valid" in shell("config", "validate", draft, "--dry-run").output
    applied = shell("config", "set", draft, "--reason", "one more retry")
    assert applied.exit_code == 0 and "applied llm v2" in applied.output
    assert "max_retries: 3" in (tmp_path / "config" / "llm.yaml").read_text()

    history = shell("config", "history", "llm").output.splitlines()
    assert history[0].startswith("v2") and "one more retry" in history[0]
    assert "+max_retries: 3" in shell("config", "diff", "llm", 1, 2).output
    assert "applied llm v3" in shell("config", "rollback", "llm", 1, "--reason", "undo").output
    assert "max_retries: 2" in shell("config", "show", "llm").output


def test_the_reference_doc_check(shell):
    assert shell("config", "docs", "--check", "--out", REPO / "docs" / "configuration.md").exit_code == 0


def test_validate_and_set_take_the_name_like_every_other_config_command(shell, tmp_path):
    # NAME alone reads config/NAME.yaml; --file reads another file as that configuration.
    assert shell("config", "validate", "llm").output.strip().endswith("llm.yaml: valid")
    draft = tmp_path / "draft.yaml"
    draft.write_text((CONFIG_DIR / "llm.yaml").read_text().replace("max_retries: 2", "max_retries: 20"))
    refused = shell("config", "validate", "llm", "--file", draft)
    assert refused.exit_code == 1 and "max_retries" in refused.output
    draft.write_text((CONFIG_DIR / "llm.yaml").read_text().replace("max_retries: 2", "max_retries: 3"))
    applied = shell("config", "set", "llm", "--file", draft, "--reason", "one more retry")
    assert applied.exit_code == 0 and "applied llm v2" in applied.output
    unknown = shell("config", "validate", "no-such-thing")
    assert unknown.exit_code != 0 and "cannot tell which configuration" in unknown.output


def test_validate_takes_the_file_after_the_name_as_the_runbook_shows_it(shell, tmp_path):
    """`config validate NAME config/NAME.yaml` (the runbook's form) used to be refused as an extra argument."""
    draft = tmp_path / "draft.yaml"
    draft.write_text((CONFIG_DIR / "llm.yaml").read_text().replace("max_retries: 2", "max_retries: 20"))
    refused = shell("config", "validate", "llm", draft)
    assert refused.exit_code == 1 and f"{draft}:" in refused.output and "max_retries" in refused.output
    assert shell("config", "validate", "llm", tmp_path / "config" / "llm.yaml").exit_code == 0
    mismatched = shell("config", "validate", "no-such-thing", draft)
    assert mismatched.exit_code == 1 and "give NAME FILE" in mismatched.output
    draft.write_text((CONFIG_DIR / "llm.yaml").read_text().replace("max_retries: 2", "max_retries: 3"))
    applied = shell("config", "set", "llm", draft, "--reason", "one more retry")
    assert applied.exit_code == 0 and "applied llm v2" in applied.output


def test_export_writes_the_active_versions_as_files_or_one_archive(shell, tmp_path):
    assert shell("config", "history", "rubric").exit_code == 0  # installed: the files are imported
    rubric = tmp_path / "config" / "rubric.yaml"
    good = rubric.read_text()
    rubric.write_text(good + "\nnot_a_field: [unclosed\n")  # refused: the database's version serves
    written = shell("config", "export", "--dir", tmp_path / "config")
    assert written.exit_code == 0, written.output
    assert rubric.read_text() == good and "rubric.yaml: the active version" in written.output
    assert "not_a_field" in (tmp_path / "config" / "rubric.yaml.bak").read_text()  # kept beside it
    archive = tmp_path / "all.zip"
    assert shell("config", "export", archive).exit_code == 0 and archive.read_bytes()[:2] == b"PK"
    neither = shell("config", "export")
    assert neither.exit_code == 1 and "--dir" in neither.output
