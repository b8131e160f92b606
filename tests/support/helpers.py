"""Helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from memo_coach import bootstrap
from memo_coach.config_store.versions import apply
from memo_coach.db.engine import session_scope
from memo_coach.runtime import Runtime
from memo_coach.settings import Settings

REPO = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO / "config"


def make_settings(tmp_path: Path, url: str, **overrides) -> Settings:
    """Settings for one test; config/ is copied so a test that changes configuration writes its own files."""
    config_dir = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config_dir, dirs_exist_ok=True)
    values = {
        "data_dir": tmp_path / "data",
        "config_dir": config_dir,
        "database_url": url,
        "resume_pending": False,
        "scheduler": False,  # tests never start the scheduler thread unless they ask
        "history_sampler": False,  # tests sample by calling Sampler.tick with chosen times
        "alert_evaluator": False,  # tests evaluate by calling RuleEvaluator.tick with chosen times
        "first_backup": False,  # tests start from "nothing verified yet" unless they ask
        "analysis_processes": 0,  # a child process per app would cost each test a second; drills use one
    }
    return Settings(**{**values, **overrides})


def sign_in(client: TestClient, username: str, password: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"X-Session-Token": response.json()["data"]["session_token"]}


def create_user(client: TestClient, admin_headers: dict, username: str, role: str = "writer") -> dict[str, str]:
    """Creates an account through the API and returns its sign-in headers."""
    password = f"pw-{username}-long-enough"
    response = client.post(
        "/api/v1/users", headers=admin_headers, json={"username": username, "role": role, "password": password}
    )
    assert response.status_code == 201, response.text
    return sign_in(client, username, password)


class FakeClock:
    """A monotonic clock the test moves by hand, for breakers and timeouts."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def fake_llm_yaml(
    base_url: str, provider: str = "openai", timeout: float = 5, max_retries: int = 0, failure_threshold: int = 5
) -> str:
    """An llm.yaml sending every call to a fake (or dead) server, without backoff waits."""
    return f"""provider: {provider}
{provider}:
  model: fake-model
  base_url: {base_url}
timeout_seconds: {timeout}
max_retries: {max_retries}
backoff_base_seconds: 0
backoff_max_seconds: 0
breaker:
  failure_threshold: {failure_threshold}
  reset_seconds: 60
"""


def use_fake_llm(
    app,
    base_url: str,
    provider: str = "openai",
    *,
    max_retries: int = 0,
    timeout: float = 5,
    failure_threshold: int = 5,
) -> None:
    """Activates an llm.yaml version that sends every call to a fake (or dead) server, without backoff waits."""
    content = fake_llm_yaml(base_url, provider, timeout, max_retries, failure_threshold)
    with session_scope(app.state.runtime.sessions) as session:
        apply(session, "llm", content, author="test", reason="point at the fake LLM")


def lift_rate_limits(auth_file: Path) -> None:
    """For load benchmarks and drills: one account sends far more than a writer would.

    Only the `rate_limits:` entries change; the lockout's max_failures_per_account stays as it is."""
    text = re.sub(
        r"\{per_account: \d+, per_client: \d+", "{per_account: 100000, per_client: 100000", auth_file.read_text()
    )
    auth_file.write_text(text)


def initialise(settings: Settings) -> bootstrap.InitResult:
    """`memo-coach init` for a test: the database made ready through a runtime of its own, then stopped."""
    runtime = Runtime(settings)
    try:
        return bootstrap.initialise(runtime)
    finally:
        runtime.stop()
