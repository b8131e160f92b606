"""A file refused on disk is not an outage at the next start: the database's active version serves."""

from __future__ import annotations

import pytest

from memo_coach.config_store.loader import ConfigError
from tests.support.helpers import initialise, make_settings


def test_start_with_an_invalid_file_serves_the_active_version_and_names_the_file(tmp_path, sqlite_url):
    settings = make_settings(tmp_path, sqlite_url)
    initialise(settings)
    rubric = settings.config_dir / "rubric.yaml"
    rubric.write_text("criteria: [\n")
    result = initialise(settings)  # used to raise ConfigError: `memo-coach serve` exited 1
    assert result.imported == []
    assert len(result.refused_files) == 1 and str(rubric) in result.refused_files[0]


def test_a_first_start_still_refuses_an_invalid_file_it_would_have_to_import(tmp_path, sqlite_url):
    settings = make_settings(tmp_path, sqlite_url)
    (settings.config_dir / "rubric.yaml").write_text("criteria: [\n")
    with pytest.raises(ConfigError, match=r"rubric\.yaml"):
        initialise(settings)
