"""Oversized request heads against the real server: how long /health takes while one client sends a
huge header, and how the server answers that client.

python -m bench.run --only headers   (or: python -m bench.header_bench --mib 64)
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

from bench.server import app_server

CHUNK = 1024 * 1024


def send_huge_header(base: str, mib: int, outcome: dict) -> None:
    """Sends one request whose single header is `mib` MiB, then reads what the server answers."""
    url = urlparse(base)
    started = time.monotonic()
    sent = 0
    try:
        with socket.create_connection((url.hostname, url.port), timeout=60) as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ")
            for _ in range(mib):
                sock.sendall(b"a" * CHUNK)
                sent += CHUNK
            sock.sendall(b"\r\n\r\n")
            outcome["answer"] = sock.recv(200).split(b"\r\n", 1)[0].decode("latin-1")
    except OSError as exc:
        outcome["answer"] = f"connection ended: {type(exc).__name__}"
    outcome["sent_mib"] = round(sent / CHUNK, 1)
    outcome["seconds"] = round(time.monotonic() - started, 3)


def health_latencies(base: str, until: threading.Event, limit: int = 200) -> list[float]:
    times: list[float] = []
    with httpx.Client(timeout=60) as client:
        while not until.is_set() and len(times) < limit:
            started = time.monotonic()
            client.get(base + "/health")
            times.append(time.monotonic() - started)
            time.sleep(0.05)
    return times


def summary(times: list[float]) -> dict:
    return {
        "requests": len(times),
        "median_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "max_ms": round(max(times) * 1000, 1) if times else None,
    }


def run(mib: int = 64) -> dict:
    with tempfile.TemporaryDirectory() as tmp, app_server(Path(tmp), workers=1) as (base, _, _):
        idle_done = threading.Event()
        threading.Timer(1.0, idle_done.set).start()
        idle = health_latencies(base, idle_done)
        outcome: dict = {}
        attacker = threading.Thread(target=send_huge_header, args=(base, mib, outcome))
        attacker.start()
        done = threading.Event()
        threading.Thread(target=lambda: (attacker.join(), done.set())).start()
        during = health_latencies(base, done)
        attacker.join()
    return {"header_mib": mib, "health_idle": summary(idle), "health_during": summary(during), "attacker": outcome}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mib", type=int, default=64)
    print(json.dumps(run(parser.parse_args().mib), indent=2))
