"""Issue 14: submissions at 100 connections on default settings, the CPU one evaluation costs in process,
and 200 writers submitting asynchronously while a fake LLM takes 10 s per answer."""

from __future__ import annotations

import asyncio
import os
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import Future
from pathlib import Path

import httpx
import psutil

from bench.coach_bench import MemorySampler, memo_of_words, submit_load
from bench.server import BIN, REPO, app_server, fake_llm_server, point_llm_at, rss_mb, sign_in, warm_up_llm

LLM_SECONDS = 10.0
ASYNC_WRITERS = 200
POLL_SECONDS = 1.0
SETTLE_SECONDS = 3.0  # after a load, before memory is read again


def cpu_per_evaluation(runs: int = 200, words: int = 300) -> dict:
    """CPU (all threads) per `Coach.submit` with the offline analyzer on a real SQLite file, run inline."""
    from memo_coach.runtime import Purpose, Runtime
    from memo_coach.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "MEMO_COACH_DATA_DIR": tmp,
            "MEMO_COACH_CONFIG_DIR": str(REPO / "config"),
            "MEMO_COACH_FIRST_BACKUP": "false",
        }
        subprocess.run([str(BIN / "memo-coach"), "init"], env={**os.environ, **env}, check=True, capture_output=True)
        # The worker's runtime: the offline analyzer in this process, so one clock sees all of the work.
        runtime = Runtime(Settings(data_dir=Path(tmp), config_dir=REPO / "config"), Purpose.WORKER)
        coach = runtime.coach

        def inline(fn, *args):  # the same work, on this thread, so one clock sees all of it
            done: Future = Future()
            done.set_result(fn(*args))
            coach.queue.release()
            return done

        coach.queue.run = inline
        memo = memo_of_words(words)
        for _ in range(20):
            coach.submit(1, memo)
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(runs):
            coach.submit(1, memo)
        result = {
            "words": len(memo.split()),
            "runs": runs,
            "cpu_ms_per_evaluation": round((time.process_time() - cpu) / runs * 1000, 2),
            "wall_ms_per_evaluation": round((time.perf_counter() - wall) / runs * 1000, 2),
            "goal": "half of 16-20 ms CPU",
        }
        runtime.stop()
    return result


def _cpu_seconds(pid: int) -> dict[str, float]:
    server = psutil.Process(pid)
    return {
        "web_process": sum(server.cpu_times()[:2]),
        "analysis_process": sum(sum(c.cpu_times()[:2]) for c in server.children(recursive=True)),
    }


def offline_at_100_connections(seconds: int) -> dict:
    """Default settings (as `make run`: one web process and its analysis process), offline analyzer,
    wrk at 100 connections. CPU per request is counted from the processes' own clocks, so it holds
    even when other work shares the machine; evaluations per second and latencies do not."""
    with tempfile.TemporaryDirectory() as tmp, app_server(Path(tmp), workers=1) as (base, password, pid):
        token = sign_in(base, "admin", password)
        submit_load(base, token, 2, connections=10)  # warm: the analysis process has started
        load_before, cpu_before = os.getloadavg(), _cpu_seconds(pid)
        with MemorySampler(pid) as mem:
            result = submit_load(base, token, seconds, connections=100)
        cpu_after = _cpu_seconds(pid)
        result["cpu_ms_per_request"] = {
            name: round((cpu_after[name] - cpu_before[name]) * 1000 / max(1, result["requests"]), 2)
            for name in cpu_before
        }
        result["load_average_before"] = [round(x, 2) for x in load_before]
        result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        result["memory_peak_mb"] = {"web_process": mem.peak, "analysis_process": mem.analysis_peak}
        result["goal"] = ">= 100 evaluations/s, p99 < 1 s, no errors (2 cores, shared)"
    return result


DROPPED = (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError)
retries = {"count": 0}


async def _send(client: httpx.AsyncClient, method: str, url: str, **kwargs) -> httpx.Response:
    """Sends once more when a kept-alive connection turns out closed, as browsers do and as
    docs/deployment.md tells clients to: polls are reads, and the submit carries an Idempotency-Key."""
    try:
        return await client.request(method, url, **kwargs)
    except DROPPED:
        retries["count"] += 1
        return await client.request(method, url, **kwargs)


async def _writer(client: httpx.AsyncClient, body: dict, give_up: float) -> dict:
    try:
        return await _write_and_poll(client, body, give_up)
    except httpx.HTTPError as exc:  # a dropped connection is an error the writer saw, not a crashed bench
        return {"error": f"{type(exc).__name__} from the server"}


async def _write_and_poll(client: httpx.AsyncClient, body: dict, give_up: float) -> dict:
    started = time.monotonic()
    headers = {"Prefer": "respond-async", "Idempotency-Key": uuid.uuid4().hex}
    answer = await _send(client, "POST", "/api/v1/evaluations/submit", json=body, headers=headers)
    if answer.status_code != 202:
        return {"error": f"submit answered {answer.status_code}"}
    url = answer.headers["Location"]
    while time.monotonic() < give_up:
        await asyncio.sleep(POLL_SECONDS)
        got = await _send(client, "GET", url)
        if got.status_code != 200:
            return {"error": f"poll answered {got.status_code}"}
        ev = got.json()["data"]
        if ev["status"] != "pending":
            ok = ev["status"] == "completed" and not ev["degraded"] and ev["provider"] == "openai"
            return {
                "seconds": time.monotonic() - started,
                "error": None if ok else f"{ev['status']} {ev['degraded_reason']}",
            }
    return {"error": "still pending"}


async def _writers(base: str, token: str, n: int, bound_seconds: float) -> list[dict]:
    body = {"text_content": memo_of_words(300)}
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    async with httpx.AsyncClient(base_url=base, headers={"X-Session-Token": token}, timeout=30, limits=limits) as c:
        give_up = time.monotonic() + bound_seconds
        return await asyncio.gather(*[_writer(c, body, give_up) for _ in range(n)])


def async_writers_with_slow_llm(
    writers: int = ASYNC_WRITERS, bound_seconds: float = 120, database_url: str | None = None
) -> dict:
    """At rest is measured after one evaluation, so the LLM process is running and holds its SDK, and
    peak minus rest is what the load costs. `database_url`: PostgreSQL instead of the SQLite file."""
    env = {"MEMO_COACH_DATABASE_URL": database_url} if database_url else None
    with tempfile.TemporaryDirectory() as tmp, app_server(Path(tmp), workers=1, env=env) as (base, password, pid):
        token = sign_in(base, "admin", password)
        with fake_llm_server(delay=LLM_SECONDS) as fake:
            point_llm_at(database_url or f"sqlite:///{Path(tmp) / 'memo_coach.db'}", fake)
            cold = rss_mb(pid)
            warm_up_llm(base, token, timeout=LLM_SECONDS * 3)
            time.sleep(SETTLE_SECONDS)
            at_rest, llm_at_rest = rss_mb(pid), rss_mb(pid, "llm")
            started = time.monotonic()
            with MemorySampler(pid) as mem:
                retries["count"] = 0
                outcomes = asyncio.run(_writers(base, token, writers, bound_seconds))
                retries_seen = retries["count"]
            elapsed = time.monotonic() - started
            time.sleep(SETTLE_SECONDS)
            after = rss_mb(pid)
    times = sorted(o["seconds"] for o in outcomes if o["error"] is None)
    errors = [o["error"] for o in outcomes if o["error"] is not None]
    return {
        "database": "postgresql" if database_url else "sqlite",
        "writers": writers,
        "llm_seconds_per_answer": LLM_SECONDS,
        "results": len(times),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "sent_again_after_a_dropped_keepalive_connection": retries_seen,
        "all_done_seconds": round(elapsed, 1),
        "result_p50_s": round(times[len(times) // 2], 1) if times else None,
        "result_max_s": round(times[-1], 1) if times else None,
        "memory_before_first_llm_call_mb": cold,
        "memory_at_rest_mb": at_rest,
        "memory_peak_mb": mem.peak,
        "memory_after_mb": after,
        "analysis_process_peak_mb": mem.analysis_peak,
        "llm_process_at_rest_mb": llm_at_rest,
        "llm_process_peak_mb": mem.llm_peak,
        "goal": "every writer gets its result, no errors, flat memory; under 160 MB under load",
    }


def async_writers_on_postgresql(writers: int = ASYNC_WRITERS) -> dict:
    """The same writers against a throwaway PostgreSQL database (trust auth on 127.0.0.1:5432)."""
    name = f"bench_async_{os.getpid()}"
    pg = ["-h", "127.0.0.1", "-U", "postgres"]
    if subprocess.run(["createdb", *pg, name], capture_output=True).returncode != 0:
        return {"database": "postgresql", "skipped": "no PostgreSQL at 127.0.0.1:5432 (createdb failed)"}
    try:
        return async_writers_with_slow_llm(writers, database_url=f"postgresql://postgres@127.0.0.1:5432/{name}")
    finally:
        subprocess.run(["dropdb", *pg, "--if-exists", name], capture_output=True)


def run(seconds: int = 15) -> dict:
    return {
        "cpu_in_process": cpu_per_evaluation(),
        "offline_100_connections": offline_at_100_connections(seconds),
        "async_writers_slow_llm": async_writers_with_slow_llm(),
        "async_writers_slow_llm_postgresql": async_writers_on_postgresql(),
        "units": "latencies in ms unless named _s; rps = evaluations per second",
    }
