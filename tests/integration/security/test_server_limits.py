"""Finding 1: one client with a huge or slow request head must not stall the server for everyone.

These run `memo-coach serve` as a real process and speak raw HTTP to it over a socket.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.helpers import CONFIG_DIR

BIN = Path(sys.executable).parent
MIB = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("served")
    shutil.copytree(CONFIG_DIR, data / "config")
    env = {
        **os.environ,
        "MEMO_COACH_DATA_DIR": str(data / "data"),
        "MEMO_COACH_CONFIG_DIR": str(data / "config"),
        "MEMO_COACH_HEAD_TIMEOUT_SECONDS": "1",
        "MEMO_COACH_SCHEDULER": "false",
        "MEMO_COACH_HISTORY_SAMPLER": "false",
    }
    init = subprocess.run([str(BIN / "memo-coach"), "init"], env=env, capture_output=True, text=True, check=True)
    password = next(line.split(":", 1)[1].strip() for line in init.stdout.splitlines() if "password:" in line)
    port = _free_port()
    proc = subprocess.Popen(
        [str(BIN / "memo-coach"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/health", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield port, base, password
    proc.terminate()
    proc.wait(timeout=30)


def send_head(port: int, head: bytes, chunk: int = MIB) -> tuple[str, int]:
    """Sends a request head; returns the server's status line (or how the connection ended) and bytes sent."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        try:
            for start in range(0, len(head), chunk):
                sock.sendall(head[start : start + chunk])
                sent += len(head[start : start + chunk])
            answer = sock.recv(200).split(b"\r\n", 1)[0].decode("latin-1")
        except OSError as exc:
            answer = type(exc).__name__
    return answer, sent


def test_a_64_mib_header_is_refused_before_it_is_read(server):
    port, base, _ = server
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (64 * MIB) + b"\r\n\r\n"
    answer, sent = send_head(port, head)
    assert " 200 " not in answer  # main answered 200 OK after reading all 64 MiB
    assert sent < 16 * MIB  # the server stopped reading long before the end
    assert httpx.get(base + "/health", timeout=5).status_code == 200  # and still serves everyone else


def test_a_one_megabyte_header_is_refused(server):
    port, _, _ = server
    answer, _ = send_head(port, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * MIB + b"\r\n\r\n")
    assert " 200 " not in answer


def test_a_huge_request_line_is_refused(server):
    port, _, _ = server
    answer, _ = send_head(port, b"GET /health?" + b"a" * MIB + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert " 200 " not in answer


def test_a_thousand_headers_are_answered_431(server):
    port, _, _ = server
    headers = b"".join(b"X-H%d: v\r\n" % i for i in range(1000))
    answer, _ = send_head(port, b"GET /health HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
    assert answer.startswith("HTTP/1.1 431")


def test_a_head_sent_slowly_is_cut_off(server):
    port, _, _ = server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < 5:  # the server's head deadline is 1 s here
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                closed = True
                break
            time.sleep(0.2)
    assert closed, "a head dribbled for 5 s was still being read"


def test_x_forwarded_for_from_loopback_is_not_believed(server):
    _, base, password = server
    login = httpx.post(
        base + "/api/v1/auth/login",
        json={"username": "admin", "password": password},
        headers={"X-Forwarded-For": "203.0.113.9"},
        timeout=5,
    )
    token = {"X-Session-Token": login.json()["data"]["session_token"]}
    # No proxy is trusted by default: the address a session records is the socket's peer.
    sessions = httpx.get(base + "/api/v1/account/sessions", headers=token, timeout=5).json()["data"]
    assert [s["client_address"] for s in sessions] == ["127.0.0.1"]


def _answers(port: int, data: bytes) -> list[str]:
    """Sends `data` in one write and returns the status line of every answer until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except OSError:
            pass
    return [line.decode("latin-1") for line in re.findall(rb"HTTP/1\.1 \d{3} [^\r]*", received)]


def _head(header_bytes: int) -> bytes:
    return b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: " + b"a" * header_bytes + b"\r\n\r\n"


@pytest.mark.parametrize("kib", [40, 100, 200])
def test_a_head_over_the_limit_that_arrives_in_one_read_is_refused(server, kib):
    port, _, _ = server
    # main let h11 parse any head that arrived whole in one read (asyncio reads up to 256 KiB at a time)
    assert _answers(port, _head(kib * 1024)) == ["HTTP/1.1 400 Bad Request"]


def test_a_head_just_under_the_limit_is_served(server):
    port, _, _ = server
    assert _answers(port, _head(31 * 1024)) == ["HTTP/1.1 200 OK"]


def test_a_large_head_pipelined_behind_a_small_request_is_refused(server):
    port, _, _ = server
    small = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    assert _answers(port, small + _head(100 * 1024)) == ["HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request"]
