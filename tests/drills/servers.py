"""Real `memo-coach` processes for the fault drills: a data directory, servers on loopback ports,
the command line, and the writers' HTTP calls."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from memo_coach.auth.roles import Role
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.settings import Settings
from tests.support.helpers import CONFIG_DIR, fake_llm_yaml, initialise, lift_rate_limits, settled_user

BIN = Path(sys.executable).parent
MEMO_COACH = str(BIN / "memo-coach")
WRITER_PASSWORD = "drill-writer-password-long"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Site:
    """One deployment on disk: data and config directories and the environment every process gets."""

    root: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    # Empty: SQLite in the data directory. A PostgreSQL URL: every process shares that database.
    database_url: str = ""
    admin_password: str = ""
    servers: list[Server] = field(default_factory=list)
    workers: list[subprocess.Popen] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    @property
    def database(self) -> Path:
        return self.data_dir / "memo_coach.db"

    def env(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("MEMO_COACH_", "ANTHROPIC", "OPENAI"))}
        return {
            **inherited,
            "MEMO_COACH_DATA_DIR": str(self.data_dir),
            "MEMO_COACH_CONFIG_DIR": str(self.config_dir),
            "MEMO_COACH_SCHEDULER": "false",
            "MEMO_COACH_HISTORY_SAMPLER": "false",
            "MEMO_COACH_CONFIG_WATCH_SECONDS": "1",
            "MEMO_COACH_DATABASE_URL": self.database_url,
            **self.extra_env,
        }

    def init(self, llm_base_url: str | None = None, unthrottled: bool = False, **llm) -> Site:
        """`unthrottled` lifts the sign-in and submission rate limits for drills that put load on the site."""
        shutil.copytree(CONFIG_DIR, self.config_dir, dirs_exist_ok=True)
        if unthrottled:
            lift_rate_limits(self.config_dir / "auth.yaml")
        if llm_base_url:
            llm = {"max_retries": 1, "failure_threshold": 50, **llm}
            (self.config_dir / "llm.yaml").write_text(fake_llm_yaml(llm_base_url, **llm))
        # In this process: the same bootstrap `memo-coach init` runs, without paying a process start.
        settings = Settings(data_dir=self.data_dir, config_dir=self.config_dir, database_url=self.database_url)
        self.admin_password = initialise(settings).admin_password
        engine = make_engine(settings.sqlalchemy_url)
        try:
            with session_scope(make_session_factory(engine)) as session:
                for name in ("alice", "bob"):
                    settled_user(session, name, Role.writer, WRITER_PASSWORD, actor="drill")
        finally:
            engine.dispose()
        return self

    def cli(self, *args: str, stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [MEMO_COACH, *args], env=self.env(), input=stdin, capture_output=True, text=True, timeout=timeout
        )

    def serve(self, **env: str) -> Server:
        server = Server(self, free_port(), {**self.env(), **env})
        self.servers.append(server)
        return server.start()

    def worker(self) -> subprocess.Popen:
        """`memo-coach worker` (scheduler off: it only takes evaluations over here), once it runs."""
        proc = subprocess.Popen(
            [MEMO_COACH, "worker"], env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        self.workers.append(proc)
        line = proc.stdout.readline()
        assert "running" in line, f"the worker did not start: {line!r}"
        return proc

    def stop_all(self) -> None:
        for server in self.servers:
            server.kill()
        for proc in self.workers:
            proc.kill()
            proc.wait(timeout=30)


@dataclass
class Server:
    site: Site
    port: int
    env: dict[str, str]
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    ready_seconds: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_within: float = 60) -> Server:
        log = (self.site.root / f"server-{self.port}.log").open("ab")
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(
            [MEMO_COACH, "serve", "--port", str(self.port)], env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = self.started_at + ready_within
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited with {self.proc.returncode}; see {log.name}")
            try:
                if httpx.get(self.url + "/health/ready", timeout=2).status_code == 200:
                    self.ready_seconds = time.monotonic() - self.started_at
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"the server was not ready within {ready_within} s")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def client(self, timeout: float = 120) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)

    def sign_in(self, username: str, password: str = WRITER_PASSWORD) -> dict[str, str]:
        with self.client() as c:
            answer = c.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert answer.status_code == 200, answer.text
        return {"X-Session-Token": answer.json()["data"]["session_token"]}
