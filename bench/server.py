"""Starting the real app (and the fake LLM) as separate processes for load benchmarks."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil

from tests.support.helpers import lift_rate_limits

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {seconds} s")


# The server's helper processes, by the module each runs; every other process is a web worker.
HELPERS = {"analysis": "memo_coach.coaching.offline.analysis_child", "llm": "memo_coach.coaching.llm.sdk_child"}


def rss_mb(pid: int, role: str = "web") -> float:
    """Resident memory in MB of a server process and its uvicorn workers ("web"), or of the helper
    processes they started ("analysis": the offline analyzer; "llm": the LLM process that holds the
    SDK): the goals are per worker process, so each is reported apart."""
    proc = psutil.Process(pid)
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            cmdline = p.cmdline()
            if next((name for name, module in HELPERS.items() if module in cmdline), "web") == role:
                total += p.memory_info().rss
        except psutil.NoSuchProcess:  # a helper process restarting
            continue
    return round(total / 1e6, 1)


def point_llm_at(database_url: str, fake_base: str, provider: str = "openai") -> None:
    """Applies an llm.yaml that sends evaluations to the fake LLM at `fake_base` (anthropic needs
    ANTHROPIC_API_KEY in the server's environment)."""
    from memo_coach import assembly
    from memo_coach.config_store import versions
    from memo_coach.db.engine import make_engine, make_session_factory, session_scope

    assembly.assemble()
    engine = make_engine(database_url)
    url = f"{fake_base}/v1" if provider == "openai" else fake_base
    text = f"provider: {provider}\n{provider}:\n  model: fake-model\n  base_url: {url}\ntimeout_seconds: 30\n"
    with session_scope(make_session_factory(engine)) as s:
        versions.apply(s, "llm", text, author="bench", reason="benchmark against a fake LLM")
    engine.dispose()


def warm_up_llm(base: str, token: str, timeout: float) -> str:
    """One evaluation through the LLM, so the LLM process runs and holds its SDK; returns its provider."""
    answer = httpx.post(
        f"{base}/api/v1/evaluations/submit",
        json={"text_content": "We ask for $40,000 by May 1 to replace the ticketing tool. Please approve it."},
        headers={"X-Session-Token": token},
        timeout=timeout,
    )
    answer.raise_for_status()
    provider = answer.json()["data"]["provider"]
    if provider == "offline":
        raise RuntimeError(f"the warm-up was not answered by the fake LLM: {answer.text[:300]}")
    return provider


def choose_own_password(base: str, printed: str) -> str:
    """The first admin replaces the printed password, as they must before anything else; returns their own."""
    login = httpx.post(f"{base}/api/v1/auth/login", json={"username": "admin", "password": printed}, timeout=30)
    own = f"{printed}-own"
    body = {"current_password": printed, "new_password": own}
    token = {"X-Session-Token": login.json()["data"]["session_token"]}
    httpx.post(f"{base}/api/v1/account/password", json=body, headers=token, timeout=30).raise_for_status()
    return own


@contextmanager
def app_server(data_dir: Path, workers: int = 2, env: dict | None = None, stderr_to: Path | None = None):
    """`memo-coach serve` on a loopback port; yields (base_url, admin_password, pid).

    The server's stderr (its log lines) goes to `stderr_to` when given, else nowhere.
    """
    port = free_port()
    # A private copy: configuration applied during a benchmark is written back to its files.
    config_dir = data_dir / "config"
    shutil.copytree(REPO / "config", config_dir, dirs_exist_ok=True)
    lift_rate_limits(config_dir / "auth.yaml")
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"ANTHROPIC_API_KEY", "OPENAI_API_KEY"}},
        "MEMO_COACH_DATA_DIR": str(data_dir),
        "MEMO_COACH_CONFIG_DIR": str(config_dir),
        **(env or {}),
    }
    init = subprocess.run(
        [str(BIN / "memo-coach"), "init"], env=environment, capture_output=True, text=True, check=True
    )
    password = next(line.split(":", 1)[1].strip() for line in init.stdout.splitlines() if "password:" in line)
    stderr = stderr_to.open("wb") if stderr_to else subprocess.DEVNULL
    proc = subprocess.Popen(
        [str(BIN / "memo-coach"), "serve", "--port", str(port), "--workers", str(workers)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/health")
        yield base, choose_own_password(base, password), proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if stderr_to:
            stderr.close()


@contextmanager
def fake_llm_server(delay: float = 0.0):
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "tests" / "support" / "fake_llm.py"),
            "--port",
            str(port),
            "--delay",
            str(delay),
            "--rubric",
            str(REPO / "config" / "rubric.yaml"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/_fake/stats")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def sign_in(base: str, username: str, password: str) -> str:
    r = httpx.post(f"{base}/api/v1/auth/login", json={"username": username, "password": password}, timeout=30)
    r.raise_for_status()
    return r.json()["data"]["session_token"]
