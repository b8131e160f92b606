"""Resident memory of one `memo-coach serve` process (default: one worker, every monitoring feature on)
at rest and under a bounded load, and what each import adds.

    python -m bench.memory_bench [--submissions 300] [--concurrency 20]

Goals (issue 14): under 120 MB at rest, under 160 MB under load. "At rest" is 5 s after /health/ready
answers (and, with an LLM of each wire format, 5 s after one evaluation it answered); "under load" is
the peak, sampled every 0.1 s, while writers submit memos (offline analyzer, so the syllable table is
loaded) and read their evaluation pages. Results: bench/results/memory.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench.server import app_server, fake_llm_server, point_llm_at, rss_mb, sign_in, warm_up_llm
from tests.drills.servers import Site

RESULTS = Path(__file__).parent / "results"
MEMO = "Memo {n}: we should move to one vendor. It saves $120,000 a year. We ask for approval by Friday."
# What `memo-coach serve` imports, in order; each line prints the RSS it added.
IMPORTS = """
import importlib, json, psutil
p = psutil.Process()
out, last = {}, p.memory_info().rss
for name in ["fastapi", "sqlalchemy", "uvicorn", "httpx", "memo_coach.db.engine", "memo_coach.assembly",
             "memo_coach.web.app", "memo_coach.coaching.offline.readability"]:
    importlib.import_module(name)
    now = p.memory_info().rss
    out[name] = round((now - last) / 1e6, 1)
    last = now
from memo_coach.coaching.offline.readability import syllable_table
syllable_table()
out["syllable table (first evaluation)"] = round((p.memory_info().rss - last) / 1e6, 1)
out["total"] = round(p.memory_info().rss / 1e6, 1)
print(json.dumps(out))
"""


def _rss_mb(pid: int) -> float:
    return round(psutil.Process(pid).memory_info().rss / 1e6, 1)


def at_rest_with_llm(provider: str) -> dict:
    """One web worker at rest after one evaluation by a fake LLM of `provider`'s wire format: the SDK
    is loaded by then, in the LLM process beside the worker, which is reported apart."""
    env = {"ANTHROPIC_API_KEY": "sk-bench-not-a-real-key"} if provider == "anthropic" else {}
    with (
        tempfile.TemporaryDirectory() as tmp,
        fake_llm_server() as fake,
        app_server(Path(tmp), workers=1, env=env) as (base, password, pid),
    ):
        point_llm_at(f"sqlite:///{Path(tmp) / 'memo_coach.db'}", fake, provider)
        answered_by = warm_up_llm(base, sign_in(base, "admin", password), timeout=60)
        time.sleep(5)
        return {
            "answered_by": answered_by,
            "web_process_mb": rss_mb(pid),
            "llm_process_mb": rss_mb(pid, "llm"),
            "analysis_process_mb": rss_mb(pid, "analysis"),
        }


def run(submissions: int = 300, concurrency: int = 20) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        site = Site(Path(tmp)).init(unthrottled=True)
        try:
            # Default settings: the scheduler and the history sampler on, as `make run` starts it.
            server = site.serve(MEMO_COACH_SCHEDULER="true", MEMO_COACH_HISTORY_SAMPLER="true")
            pid = server.proc.pid
            time.sleep(5)
            at_rest = _rss_mb(pid)
            headers = server.sign_in("alice")
            peak, done, errors = [at_rest], threading.Event(), []
            todo = iter(range(submissions))
            lock = threading.Lock()

            analysis_peak = [rss_mb(pid, "analysis")]

            def watch() -> None:
                while not done.wait(0.1):
                    peak.append(_rss_mb(pid))
                    analysis_peak.append(rss_mb(pid, "analysis"))

            def writer() -> None:
                with server.client() as c:
                    while True:
                        with lock:
                            n = next(todo, None)
                        if n is None:
                            return
                        answer = c.post(
                            "/api/v1/evaluations/submit", headers=headers, json={"text_content": MEMO.format(n=n)}
                        )
                        if answer.status_code != 201:
                            errors.append(answer.status_code)
                            continue
                        page = c.get(f"/evaluations/{answer.json()['data']['id']}", headers=headers)
                        if page.status_code != 200:
                            errors.append(page.status_code)

            watcher = threading.Thread(target=watch)
            watcher.start()
            started = time.monotonic()
            writers = [threading.Thread(target=writer) for _ in range(concurrency)]
            for w in writers:
                w.start()
            for w in writers:
                w.join()
            seconds = time.monotonic() - started
            done.set()
            watcher.join()
            time.sleep(3)
            after = _rss_mb(pid)
        finally:
            site.stop_all()
    imports = subprocess.run([sys.executable, "-c", IMPORTS], capture_output=True, text=True, check=True, timeout=120)
    return {
        "workers": 1,
        "submissions": submissions,
        "concurrency": concurrency,
        "errors": len(errors),
        "load_seconds": round(seconds, 1),
        "rss_at_rest_mb": at_rest,
        "rss_peak_under_load_mb": max(peak),
        "analysis_process_rss_peak_mb": max(analysis_peak),
        "rss_after_load_mb": after,
        "goals_mb": {"at_rest": 120, "under_load": 160},
        "at_rest_after_an_llm_evaluation": {p: at_rest_with_llm(p) for p in ("openai", "anthropic")},
        "import_rss_added_mb": json.loads(imports.stdout),
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    result = run(args.submissions, args.concurrency)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "memory.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
