"""Writing a configuration file back: atomic, the old copy kept, and never fatal."""

from memo_coach.config_store.disk import write_config


def test_the_file_is_replaced_and_the_old_one_kept(tmp_path):
    (tmp_path / "llm.yaml").write_text("provider: auto\n")
    assert write_config(tmp_path, "llm", "provider: offline\n") is True
    assert (tmp_path / "llm.yaml").read_text() == "provider: offline\n"
    assert (tmp_path / "llm.yaml.bak").read_text() == "provider: auto\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["llm.yaml", "llm.yaml.bak"]  # no temporary file left


def test_the_same_content_is_not_written_again(tmp_path):
    (tmp_path / "llm.yaml").write_text("provider: auto\n")
    assert write_config(tmp_path, "llm", "provider: auto\n") is False
    assert not (tmp_path / "llm.yaml.bak").exists()


def test_an_unwritable_place_is_reported_not_raised(tmp_path):
    not_a_directory = tmp_path / "config"
    not_a_directory.write_text("a file where the directory should be")
    assert write_config(not_a_directory, "llm", "provider: offline\n") is False
