"""Instrumentation overhead and probe latency, measured with wrk against a real uvicorn process.

    .venv/bin/python -m bench.instrumentation_bench [--seconds 3] [--pairs 10]

Throughput of the same app with MEMO_COACH_INSTRUMENTATION on (metrics, access log, sampler) and off,
on /health and on an authenticated API read; then p95 of /metrics and /health/ready. Results go to
bench/results/instrumentation.json. Targets: ratio >= 0.95, both p95 < 25 ms. The same comparison also
runs in process over ASGI (no network), which a busy shared machine disturbs far less than wrk.
Run it with stderr sent away (2>/dev/null): the instrumented app writes its access log there.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
METRICS_TOKEN = "bench-metrics-token"
P95_SCRIPT = 'done = function(s, latency, r) io.write(string.format("P95_US=%d\\n", latency:percentile(95))) end\n'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(data_dir: Path, instrumented: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        MEMO_COACH_DATA_DIR=str(data_dir),
        MEMO_COACH_CONFIG_DIR=str(REPO / "config"),
        MEMO_COACH_INSTRUMENTATION="on" if instrumented else "off",
        MEMO_COACH_HISTORY_SAMPLER="on" if instrumented else "off",
        MEMO_COACH_METRICS_TOKEN=METRICS_TOKEN,
        MEMO_COACH_RESUME_PENDING="off",
        MEMO_COACH_LOG_LEVEL="INFO",
    )
    for name in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "MEMO_COACH_DATABASE_URL"):
        env.pop(name, None)
    return env


class Server:
    """`uvicorn memo_coach.web.app:create_app` on a loopback port, one worker, like `memo-coach serve`."""

    def __init__(self, data_dir: Path, instrumented: bool) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "memo_coach.web.app:create_app",
            "--factory",
            "--port",
            str(self.port),
        ]
        command += ["--no-access-log", "--log-level", "warning"]
        self._log = open(data_dir / "server.log", "ab")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            command, env=environment(data_dir, instrumented), stdout=self._log, stderr=subprocess.STDOUT
        )
        self._wait()

    def _wait(self) -> None:
        for _ in range(600):
            try:
                urllib.request.urlopen(self.url + "/health", timeout=1).read()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the server did not start; see {self._log.name}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)
        self._log.close()


def prepare(data_dir: Path) -> str:
    """Initialises the database and returns the admin's password."""
    out = subprocess.run(
        [str(Path(sys.executable).parent / "memo-coach"), "init"],
        env=environment(data_dir, True),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return re.search(r"password: (\S+)", out).group(1)


def sign_in(url: str, password: str) -> str:
    body = json.dumps({"username": "admin", "password": password}).encode()
    request = urllib.request.Request(url + "/api/v1/auth/login", body, {"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request).read())["data"]["session_token"]


def own_password(data_dir: Path, password: str) -> str:
    """The generated admin password must be changed before the API answers anything else."""
    server = Server(data_dir, False)
    try:
        chosen = password + "-bench"
        body = json.dumps({"current_password": password, "new_password": chosen}).encode()
        headers = {"Content-Type": "application/json", "X-Session-Token": sign_in(server.url, password)}
        urllib.request.urlopen(urllib.request.Request(server.url + "/api/v1/account/password", body, headers)).read()
        return chosen
    finally:
        server.stop()


def wrk(url: str, seconds: int, connections: int, headers: dict[str, str] | None = None) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(P95_SCRIPT)
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script.name]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p95_ms": int(re.search(r"P95_US=(\d+)", out).group(1)) / 1000,
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def throughput(data_dir: Path, password: str, seconds: int, pairs: int) -> dict:
    """Both servers run side by side; short wrk bursts alternate between them (order flipped each
    pair), so background load on a shared machine hits both alike. The ratio is the median of the
    pairs' ratios."""
    servers = {"on": Server(data_dir, True), "off": Server(data_dir, False)}
    try:
        tokens = {key: sign_in(server.url, password) for key, server in servers.items()}
        results = {}
        for name, path, auth in (("health", "/health", False), ("api_read", "/api/v1/evaluations", True)):
            runs: dict[str, list[float]] = {"on": [], "off": []}
            for i in range(pairs):
                for key in ("on", "off") if i % 2 == 0 else ("off", "on"):
                    headers = {"X-Session-Token": tokens[key]} if auth else None
                    result = wrk(servers[key].url + path, seconds, 32, headers)
                    assert result["non_2xx"] == 0, result
                    runs[key].append(result["requests_per_s"])
            ratios = [on / off for on, off in zip(runs["on"], runs["off"], strict=True)]
            results[name] = {
                "on_rps": statistics.median(runs["on"]),
                "off_rps": statistics.median(runs["off"]),
                "ratio": round(statistics.median(ratios), 3),
                "pair_ratios": [round(r, 3) for r in ratios],
                "runs": runs,
            }
        return results
    finally:
        for server in servers.values():
            server.stop()


def in_process(
    data_dir: Path, password: str, requests: int = 2000, rounds: int = 8, switch: str = "instrumentation"
) -> dict:
    """The same comparison without network or wrk: both apps called directly over ASGI, alternating.

    On a shared machine wrk's numbers swing by tens of percent between bursts; this isolates the
    instrumentation's own cost per request (middleware, metrics, the access log line). `switch` names
    the setting the two apps differ in (statement_timing_bench.py compares that one alone).
    """
    import asyncio

    os.environ.update(environment(data_dir, True))
    from memo_coach.settings import Settings
    from memo_coach.web.app import create_app

    apps = {key: create_app(Settings(**{switch: key == "on"}, history_sampler=False)) for key in ("on", "off")}

    async def timed(app, path: str, headers: list) -> float:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"bench"), *headers],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            if message["type"] == "http.response.start":
                assert message["status"] == 200, message

        started = time.perf_counter()
        for _ in range(requests):
            await app(dict(scope), receive, send)
        return (time.perf_counter() - started) / requests * 1e6

    async def compare() -> dict:
        results = {}
        for name, path, auth in (("health", "/health", False), ("api_read", "/api/v1/evaluations", True)):
            runs: dict[str, list[float]] = {"on": [], "off": []}
            for i in range(rounds):
                for key in ("on", "off") if i % 2 == 0 else ("off", "on"):
                    headers = [(b"x-session-token", tokens[key].encode())] if auth else []
                    runs[key].append(await timed(apps[key], path, headers))
            on, off = statistics.median(runs["on"]), statistics.median(runs["off"])
            results[name] = {
                "on_us_per_request": round(on, 1),
                "off_us_per_request": round(off, 1),
                "throughput_ratio": round(off / on, 3),
            }
        return results

    server = Server(data_dir, False)
    try:
        tokens = {key: sign_in(server.url, password) for key in ("on", "off")}
    finally:
        server.stop()
    return asyncio.run(compare())


def probe_latency(data_dir: Path, seconds: int) -> dict:
    """p95 of back-to-back requests on one connection: a scraper or a load balancer probes one at a
    time, so this is the service time they see (more connections would measure queueing instead)."""
    server = Server(data_dir, instrumented=True)
    try:
        return {
            "metrics": wrk(server.url + "/metrics", seconds, 1, {"Authorization": f"Bearer {METRICS_TOKEN}"}),
            "health_ready": wrk(server.url + "/health/ready", seconds, 1),
        }
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="length of one wrk burst")
    parser.add_argument("--pairs", type=int, default=10, help="on/off burst pairs per endpoint")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian package wrk)")
    data_dir = Path(tempfile.mkdtemp(prefix="memo-coach-bench-"))
    try:
        password = own_password(data_dir, prepare(data_dir))
        result = {
            "throughput": throughput(data_dir, password, args.seconds, args.pairs),
            "latency": probe_latency(data_dir, 10),
            "in_process": in_process(data_dir, password),
            "burst_seconds": args.seconds,
            "pairs": args.pairs,
            "cpus": os.cpu_count(),
        }
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    result["checks"] = {
        "wrk_throughput_ratio_at_least_0.95": all(t["ratio"] >= 0.95 for t in result["throughput"].values()),
        "in_process_throughput_ratio_at_least_0.95": all(
            t["throughput_ratio"] >= 0.95 for t in result["in_process"].values()
        ),
        "probe_p95_under_25_ms": all(r["p95_ms"] < 25 for r in result["latency"].values()),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "instrumentation.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
