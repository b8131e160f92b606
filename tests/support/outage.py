"""The LLM outage drill with real processes: the app under `memo-coach serve`, the fake LLM as its own
process (killed for the fault, started again for the recovery), notifications to a local webhook.

Used by the end-to-end test and by bench/incidents_bench.py, so both measure the same thing.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from memo_coach.auth.roles import Role
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.settings import Settings
from tests.support.helpers import initialise, lift_rate_limits, settled_user
from tests.support.receivers import WebhookReceiver, free_port

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WRITER_PASSWORD = "drill-writer-password-long"
MEMO = "Budget request: we need two analysts because the backlog doubled. Please approve by Friday."

LLM_YAML = """provider: openai
openai:
  model: fake-model
  base_url: http://127.0.0.1:{port}/v1
timeout_seconds: 2
max_retries: 0
backoff_base_seconds: 0
backoff_max_seconds: 0
breaker:
  failure_threshold: 2
  reset_seconds: 1
"""
MONITORING_YAML = """interval_seconds: {interval}
channels:
  - {{name: oncall, url_env: DRILL_HOOK_URL, severities: [P1, P2]}}
rules:
  - name: llm_unavailable
    summary: The LLM provider does not answer
    severity: P2
    source: {{kind: health, components: [llm], aggregate: min}}
    op: ">="
    threshold: 1
    window_seconds: {window}
    for_seconds: {for_seconds}
    group: llm
    component: evaluations
    affects_writers: true
    public_title: Feedback on memos is simpler than usual
  - name: evaluations_degraded
    summary: Evaluations come back degraded
    severity: P2
    source: {{kind: metric, series: evaluations_degraded_ratio}}
    threshold: 0.2
    window_seconds: {window}
    for_seconds: {for_seconds}
    group: llm
    component: evaluations
"""


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


class OutageDrill:
    """Context manager: the processes up and a writer and an admin signed in."""

    def __init__(self, workdir: Path, interval: float = 1, window: float = 2, for_seconds: float = 2) -> None:
        self.workdir = workdir
        self.llm_port, self.app_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.app_port}"
        self.rule = {"interval": interval, "window": window, "for_seconds": for_seconds}
        self.hook = WebhookReceiver()
        self.fake: subprocess.Popen | None = None
        self.app: subprocess.Popen | None = None
        self.http = httpx.Client(base_url=self.url, timeout=30)

    # --- processes -------------------------------------------------------------------------------
    def _env(self) -> dict[str, str]:
        return {
            **os.environ,
            "MEMO_COACH_DATA_DIR": str(self.workdir / "data"),
            "MEMO_COACH_CONFIG_DIR": str(self.workdir / "config"),
            "MEMO_COACH_SCHEDULER": "false",
            "MEMO_COACH_SAMPLE_INTERVAL_SECONDS": "1",
            "MEMO_COACH_CONFIG_WATCH_SECONDS": "0",
            "DRILL_HOOK_URL": self.hook.url,
        }

    def start_fake(self) -> None:
        cmd = [sys.executable, "tests/support/fake_llm.py", "--port", str(self.llm_port)]
        self.fake = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.llm_port)

    def kill_fake(self) -> float:
        """The fault: the LLM stops answering (SIGKILL, connections refused); returns when, monotonic."""
        assert self.fake is not None
        self.fake.send_signal(signal.SIGKILL)
        self.fake.wait(10)
        return time.monotonic()

    def _prepare(self) -> None:
        config = self.workdir / "config"
        shutil.copytree(REPO / "config", config, dirs_exist_ok=True)
        lift_rate_limits(config / "auth.yaml")  # the drill submits an evaluation every step
        (config / "llm.yaml").write_text(LLM_YAML.format(port=self.llm_port))
        (config / "monitoring.yaml").write_text(MONITORING_YAML.format(**self.rule))
        settings = Settings(data_dir=self.workdir / "data", config_dir=config, database_url="")
        self.admin_password = initialise(settings).admin_password
        engine = make_engine(settings.sqlalchemy_url)
        with session_scope(make_session_factory(engine)) as session:
            settled_user(session, "drill-writer", Role.writer, WRITER_PASSWORD)
        engine.dispose()

    def __enter__(self) -> OutageDrill:
        self.hook.__enter__()
        self._prepare()
        self.start_fake()
        cmd = [str(BIN / "memo-coach"), "serve", "--port", str(self.app_port)]
        self.log = (self.workdir / "app.out").open("wb")
        self.app = subprocess.Popen(cmd, cwd=self.workdir, env=self._env(), stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_port(self.app_port, 60)
        self.writer = self._sign_in("drill-writer", WRITER_PASSWORD)
        self.admin = self._sign_in("admin", self.admin_password)
        return self

    def __exit__(self, *exc) -> None:
        for proc in (self.app, self.fake):
            if proc and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
        self.http.close()
        self.log.close()
        self.hook.__exit__()

    # --- the doors -------------------------------------------------------------------------------
    def _sign_in(self, username: str, password: str) -> dict[str, str]:
        response = self.http.post("/api/v1/auth/login", json={"username": username, "password": password})
        response.raise_for_status()
        return {"X-Session-Token": response.json()["data"]["session_token"]}

    def evaluate(self) -> dict:
        response = self.http.post("/api/v1/evaluations/submit", headers=self.writer, json={"text_content": MEMO})
        response.raise_for_status()
        return response.json()["data"]

    def incidents(self, state: str = "all") -> list[dict]:
        return self.http.get(f"/api/v1/incidents?state={state}", headers=self.admin).json()["data"]

    def incident(self, incident_id: int) -> dict:
        return self.http.get(f"/api/v1/incidents/{incident_id}", headers=self.admin).json()["data"]

    def status(self) -> dict:
        return self.http.get("/api/v1/status").json()["data"]

    def until(self, condition, seconds: float, between=None, step: float = 0.25):
        """Polls `condition()` until it returns something truthy; `between()` runs before each poll."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if between:
                between()
            if result := condition():
                return result
            time.sleep(step)
        raise AssertionError(f"not within {seconds} s: {getattr(condition, '__name__', condition)}")
