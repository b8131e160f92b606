"""uvicorn's default protocol (httptools) against the one `memo-coach serve` runs (bounded h11): the
cost per request, and what one client with a 64 MiB header does to everyone else.

python -m bench.protocol_bench httptools h11
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.header_bench import health_latencies, send_huge_header, summary
from bench.server import BIN, REPO, free_port, wait_until_up

PROTOCOLS = {
    "httptools": ["--http", "httptools"],
    "h11": ["--http", "memo_coach.web.server:BoundedH11Protocol", "--h11-max-incomplete-event-size", "32768"],
}


def sequential(base: str, requests: int = 2000) -> dict:
    times = []
    with httpx.Client() as client:
        for _ in range(100):
            client.get(base + "/health")
        for _ in range(requests):
            started = time.perf_counter()
            client.get(base + "/health")
            times.append(time.perf_counter() - started)
    times.sort()
    return {
        "requests": requests,
        "median_ms": round(statistics.median(times) * 1000, 2),
        "p99_ms": round(times[int(requests * 0.99)] * 1000, 2),
    }


def run(protocol: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(REPO / "config", Path(tmp) / "config")
        env = {**os.environ, "MEMO_COACH_DATA_DIR": f"{tmp}/data", "MEMO_COACH_CONFIG_DIR": f"{tmp}/config"}
        subprocess.run([str(BIN / "memo-coach"), "init"], env=env, capture_output=True, check=True)
        port = free_port()
        command = [str(BIN / "uvicorn"), "--factory", "memo_coach.web.app:create_app", "--port", str(port)]
        server = subprocess.Popen([*command, "--log-level", "warning", *PROTOCOLS[protocol]], env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base + "/health")
            result = {"protocol": protocol, "health_sequential": sequential(base)}
            outcome: dict = {}
            attacker = threading.Thread(target=send_huge_header, args=(base, 64, outcome))
            attacker.start()
            done = threading.Event()
            threading.Thread(target=lambda: (attacker.join(), done.set())).start()
            result["health_during_64_mib_header"] = summary(health_latencies(base, done))
            attacker.join()
            result["attacker"] = outcome
            return result
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("protocols", nargs="+", choices=sorted(PROTOCOLS))
    print(json.dumps([run(p) for p in parser.parse_args().protocols], indent=2))
