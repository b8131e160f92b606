"""Helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from memo_coach import bootstrap
from memo_coach.auth import users
from memo_coach.auth.models import User
from memo_coach.auth.roles import Role
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
    """Creates an account through the API, its owner replaces the admin's password with their own
    (`pw-<username>-long-enough`, as every account must before anything else), and returns the owner's
    sign-in headers."""
    response = client.post("/api/v1/users", headers=admin_headers, json={"username": username, "role": role})
    assert response.status_code == 201, response.text
    headers = sign_in(client, username, response.json()["data"]["password"])
    change_own_password(client, headers, response.json()["data"]["password"], f"pw-{username}-long-enough")
    return headers


def settled_user(session, username: str, role: Role, password: str, *, actor: str = "admin") -> User:
    """An account an admin made whose owner has since chosen `password` (through the services): what tests
    and drills need, since an account on a password someone else set may do nothing but change it."""
    user, initial = users.create_user(session, username, role, None, actor=actor)
    users.change_own_password(session, user, initial, password, keep_token_hash=None)
    return user


def change_own_password(client: TestClient, headers: dict, current: str, new: str) -> None:
    body = {"current_password": current, "new_password": new}
    response = client.post("/api/v1/account/password", headers=headers, json=body)
    assert response.status_code == 200, response.text


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
    """`memo-coach init` for a test: the database made ready through a runtime of its own, then stopped;
    on the very first start the admin then chooses their own password (`admin_password` is that one), as
    they must before anything else."""
    runtime = Runtime(settings)
    try:
        result = bootstrap.initialise(runtime)
        if result.admin_password is None:
            return result
        own = f"{result.admin_password}-own"
        with session_scope(runtime.sessions) as session:
            admin = users.get_user(session, users.FIRST_ADMIN)
            users.change_own_password(session, admin, result.admin_password, own, keep_token_hash=None)
        return dataclasses.replace(result, admin_password=own)
    finally:
        runtime.stop()
