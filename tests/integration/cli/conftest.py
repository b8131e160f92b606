"""The command line as a real process against a real SQLite file in the test's own data directory."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.helpers import CONFIG_DIR


@pytest.fixture
def run(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"ANTHROPIC_API_KEY", "OPENAI_API_KEY"}}
    env.update(MEMO_COACH_DATA_DIR=str(tmp_path / "data"), MEMO_COACH_CONFIG_DIR=str(CONFIG_DIR))
    env.pop("MEMO_COACH_DATABASE_URL", None)
    cli = Path(sys.executable).with_name("memo-coach")

    def invoke(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(cli), *args], env=env, input=stdin, capture_output=True, text=True, timeout=120)

    invoke.env = env  # for a probe that runs the command line inside its own `python -c`
    return invoke
