"""`memo-coach doctor` wall time while the LLM hangs: the whole command, as an operator runs it.

A fresh SQLite installation points llm.yaml at the fake LLM with every GET /v1/models hanging; the
command runs RUNS times as a real process. Also measured: the same with --offline (no LLM call) and
`memo-coach --help` (the command line's own start-up), so the doctor's share is visible.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.server import REPO, fake_llm_server
from memo_coach.config_store.versions import apply
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.settings import Settings
from tests.support.helpers import initialise

RUNS = 7
CLI = str(Path(sys.executable).parent / "memo-coach")


def _timed(args: list[str], env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=60)
    return time.perf_counter() - started, done.stdout


def _series(args: list[str], env: dict) -> dict:
    walls, inner = [], []
    for _ in range(RUNS):
        wall, out = _timed(args, env)
        walls.append(wall)
        if "--json" in args:
            inner.append(json.loads(out)["seconds"])
    result = {"wall_s": {"min": min(walls), "median": statistics.median(walls), "max": max(walls)}}
    if inner:
        result["checks_s"] = {"min": min(inner), "median": statistics.median(inner), "max": max(inner)}
    return result


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp, fake_llm_server() as base:
        httpx.post(f"{base}/_fake/script", json={"behaviours": [], "models": "hang"})
        data = Path(tmp) / "data"
        settings = Settings(
            data_dir=data, config_dir=REPO / "config", database_url=f"sqlite:///{data / 'memo_coach.db'}"
        )
        initialise(settings)
        with session_scope(make_session_factory(make_engine(settings.sqlalchemy_url))) as session:
            llm = f"provider: openai\nopenai:\n  model: fake-model\n  base_url: {base}/v1\n"
            apply(session, "llm", llm, author="bench", reason="a hanging LLM")
        env = {**os.environ, "MEMO_COACH_DATA_DIR": str(data), "MEMO_COACH_CONFIG_DIR": str(REPO / "config")}
        env["MEMO_COACH_DATABASE_URL"] = settings.sqlalchemy_url
        _, sample = _timed(["doctor", "--json"], env)
        llm_check = next(c for c in json.loads(sample)["checks"] if c["name"] == "llm")
        return {
            "runs": RUNS,
            "llm_check_while_hanging": {"status": llm_check["status"], "summary": llm_check["summary"]},
            "doctor_llm_hanging": _series(["doctor", "--json"], env),
            "doctor_offline": _series(["doctor", "--json", "--offline"], env),
            "cli_help_startup": _series(["--help"], env),
            "load_average": os.getloadavg(),
        }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
