"""Benchmarks of the coach (issue 2): offline analysis in process, submissions over HTTP, /health, memory."""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.server import app_server, fake_llm_server, rss_mb, sign_in
from bench.wrk import run_wrk
from memo_coach.assembly import assemble
from memo_coach.coaching.offline.analyzer import OfflineEvaluator
from memo_coach.coaching.rubric import Rubric
from memo_coach.coaching.samples import list_samples
from memo_coach.config_store import versions
from memo_coach.config_store.loader import load_file
from memo_coach.db.engine import make_engine, make_session_factory, session_scope

REPO = Path(__file__).resolve().parents[1]


def memo_of_words(words: int) -> str:
    """A realistic memo of about `words` words, built from the shipped samples."""
    parts, count = [], 0
    samples = [s.text for s in list_samples()]
    i = 0
    while count < words:
        text = samples[i % len(samples)]
        parts.append(text)
        count += len(text.split())
        i += 1
    return "\n\n".join(parts)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))], 2)


def offline_ready() -> tuple[OfflineEvaluator, str, Rubric]:
    """The offline evaluator, the shipped rubric and a 1,000-word memo, after one unmeasured evaluation
    (it waits for the syllable dictionary). The configuration kinds are registered first, as every door
    does: without them the rubric file has no schema to load with."""
    assemble()
    rubric, _ = load_file("rubric", REPO / "config")
    evaluator = OfflineEvaluator()
    memo = memo_of_words(1000)
    evaluator.evaluate(memo, rubric)
    return evaluator, memo, rubric


def bench_offline_in_process(runs: int = 200) -> dict:
    evaluator, memo, rubric = offline_ready()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        evaluator.evaluate(memo, rubric)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "words": len(memo.split()),
        "runs": runs,
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "goal": "p95 < 50 ms",
    }


def point_llm_at(data_dir: Path, fake_base: str) -> None:
    engine = make_engine(f"sqlite:///{data_dir / 'memo_coach.db'}")
    text = f"provider: openai\nopenai:\n  model: fake-model\n  base_url: {fake_base}/v1\ntimeout_seconds: 10\n"
    with session_scope(make_session_factory(engine)) as s:
        versions.apply(s, "llm", text, author="bench", reason="benchmark against the fake LLM")
    engine.dispose()


class MemorySampler:
    """Peak resident memory of the server (`peak`), of its analysis process (`analysis_peak`) and of
    its LLM process (`llm_peak`) while a load runs."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.analysis_peak, self.llm_peak = pid, 0.0, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            self.analysis_peak = max(self.analysis_peak, rss_mb(self.pid, "analysis"))
            self.llm_peak = max(self.llm_peak, rss_mb(self.pid, "llm"))
            time.sleep(0.5)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def submit_load(base: str, token: str, seconds: int, connections: int = 100) -> dict:
    body = httpx.Request("POST", "/", json={"text_content": memo_of_words(300)}).content.decode()
    return run_wrk(
        f"{base}/api/v1/evaluations/submit",
        connections=connections,
        seconds=seconds,
        method="POST",
        body=body,
        headers={"X-Session-Token": token},
    )


def sequential_latencies(url: str, payload: dict, headers: dict, n: int = 100) -> list[float]:
    times = []
    with httpx.Client(timeout=30) as client:
        for _ in range(n):
            started = time.perf_counter()
            client.post(url, json=payload, headers=headers).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return times


def bench_http(seconds: int, workers: int) -> dict:
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp, app_server(Path(tmp), workers=workers) as (base, password, pid):
        token = sign_in(base, "admin", password)
        results["memory_at_rest_mb"] = rss_mb(pid)
        with MemorySampler(pid) as mem:
            results["health"] = run_wrk(f"{base}/health", connections=100, seconds=min(seconds, 10))
            results["health"]["goal"] = ">= 2000 rps"
            results["submit_offline"] = submit_load(base, token, seconds)
            results["submit_offline"]["goal"] = "no errors, p99 < 1 s, >= 80 rps"
        with fake_llm_server() as fake:
            point_llm_at(Path(tmp), fake)
            payload = {"text_content": memo_of_words(300)}
            app_times = sequential_latencies(f"{base}/api/v1/evaluations/submit", payload, {"X-Session-Token": token})
            fake_times = sequential_latencies(
                f"{fake}/v1/chat/completions",
                {
                    "model": "fake-model",
                    "messages": [{"role": "user", "content": "<memo>" + payload["text_content"] + "</memo>"}],
                },
                {},
            )
            results["llm_overhead"] = {
                "app_p95_ms": percentile(app_times, 95),
                "fake_llm_alone_p95_ms": percentile(fake_times, 95),
                "overhead_p95_ms": round(percentile(app_times, 95) - percentile(fake_times, 95), 2),
                "goal": "overhead p95 < 30 ms",
            }
            with MemorySampler(pid) as mem_llm:
                results["submit_llm"] = submit_load(base, token, seconds)
                results["submit_llm"]["goal"] = "no errors, p99 < 1 s, >= 100 rps"
        results["memory_peak_under_load_mb"] = max(mem.peak, mem_llm.peak)
        results["memory_goal"] = "< 250 MB"
        results["server_workers"] = workers
    return results


def run(seconds: int = 30, workers: int = 2) -> dict:
    return {
        "offline_in_process": bench_offline_in_process(),
        "http": bench_http(seconds, workers),
        "units": "latencies in ms; rps = requests per second",
    }
