"""Scale-out on real parts: PostgreSQL, two `memo-coach serve` replicas and `memo-coach worker` behind
HAProxy running deploy/haproxy/haproxy.cfg; writers submit with Idempotency-Key through HAProxy and one
replica is killed with -9 under load.

What must hold: no writer sees an error it cannot retry, a retry with the same key answers with the first
result, every acknowledged evaluation is stored exactly once and completed, and the evaluations the dead
replica held are finished by another process.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

import httpx
import psycopg
import pytest

from tests.drills.haproxy import HAProxy
from tests.drills.servers import Site
from tests.support import postgres
from tests.support.tools import require_tool

WRITERS = 6
MEMOS_EACH = 5
ACKED_BEFORE_KILL = 6
LLM_SECONDS = 1.0
RETRYABLE = {502, 503, 504}
TEXT = "Memo {key}: we ask for two engineers by June to cut the ticket backlog by 30%. Approve by Friday."


@dataclass
class Outcomes:
    """What the writers saw, as they saw it."""

    acknowledged: dict[str, dict] = field(default_factory=dict)
    retried: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, int, str]] = field(default_factory=list)
    gave_up: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _submit(client: httpx.Client, headers: dict, key: str) -> httpx.Response:
    return client.post(
        "/api/v1/evaluations/submit",
        headers={**headers, "Idempotency-Key": key},
        json={"text_content": TEXT.format(key=key)},
    )


def _writer(proxy: HAProxy, headers: dict, writer: int, seen: Outcomes) -> None:
    """Submits its memos one after the other, retrying each with the same key on a retryable answer."""
    with proxy.client() as client:
        for n in range(MEMOS_EACH):
            key = f"writer{writer}-memo{n}"
            for _ in range(10):
                try:
                    answer = _submit(client, headers, key)
                except httpx.TransportError as exc:
                    with seen.lock:
                        seen.retried.append((key, type(exc).__name__))
                    time.sleep(0.5)
                    continue
                if answer.status_code in RETRYABLE:
                    with seen.lock:
                        seen.retried.append((key, str(answer.status_code)))
                    time.sleep(min(float(answer.headers.get("Retry-After", 0.5)), 2))
                    continue
                with seen.lock:
                    if answer.status_code == 201:
                        seen.acknowledged[key] = answer.json()["data"]
                    else:
                        seen.refused.append((key, answer.status_code, answer.text[:300]))
                break
            else:
                with seen.lock:
                    seen.gave_up.append(key)


def _rows(url: str) -> list[dict]:
    with psycopg.connect(url) as conn, conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        cur.execute("SELECT id, status, idempotency_key, lease_owner, text_content FROM evaluations ORDER BY id")
        return cur.fetchall()


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.05)


@pytest.fixture
def database_url():
    reason = postgres.unreachable()
    if reason:
        if os.environ.get("MEMO_COACH_REQUIRE_PG") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    with postgres.private_database("memo_coach_drill") as url:
        yield url


def test_a_replica_killed_under_load_behind_haproxy_loses_and_duplicates_nothing(tmp_path, fake, database_url):
    haproxy = require_tool("haproxy", "haproxy")
    require_tool("openssl", "openssl")
    fake.default = f"slow:{LLM_SECONDS}"
    site = Site(tmp_path, database_url=database_url).init(fake.openai_base_url, unthrottled=True, timeout=10)
    proxy = None
    try:
        doomed, survivor = site.serve(), site.serve()
        site.worker()
        proxy = HAProxy(haproxy, tmp_path, [doomed.port, survivor.port]).start()
        with proxy.client() as client:
            login = client.post(
                "/api/v1/auth/login", json={"username": "alice", "password": "drill-writer-password-long"}
            )
        assert login.status_code == 200, login.text
        headers = {"X-Session-Token": login.json()["data"]["session_token"]}

        seen = Outcomes()
        writers = [threading.Thread(target=_writer, args=(proxy, headers, w, seen)) for w in range(WRITERS)]
        for w in writers:
            w.start()
        marker = f":{doomed.proc.pid}:"

        def held_by_doomed() -> list[int]:
            return [
                r["id"] for r in _rows(database_url) if r["status"] == "pending" and marker in (r["lease_owner"] or "")
            ]

        _wait(
            lambda: len(seen.acknowledged) >= ACKED_BEFORE_KILL and held_by_doomed(),
            40,
            "acknowledged evaluations, and some pending on the replica about to die",
        )
        stranded = held_by_doomed()
        doomed.kill()
        for w in writers:
            w.join(timeout=120)
        assert not any(w.is_alive() for w in writers), "a writer is still waiting"

        # No writer saw an error it could not retry, and every memo was acknowledged in the end.
        assert seen.refused == [] and seen.gave_up == [], (seen.refused, seen.gave_up)
        keys = {f"writer{w}-memo{n}" for w in range(WRITERS) for n in range(MEMOS_EACH)}
        assert set(seen.acknowledged) == keys
        assert all(ev["status"] == "completed" for ev in seen.acknowledged.values())

        # A retry with the same key answers with the first result, through HAProxy, on the survivor.
        with proxy.client() as client:
            for key, first in seen.acknowledged.items():
                again = _submit(client, headers, key)
                assert again.status_code == 201, again.text
                assert {k: again.json()["data"][k] for k in ("id", "overall_score", "status")} == {
                    k: first[k] for k in ("id", "overall_score", "status")
                }

        # Nothing acknowledged lost, nothing stored twice, nothing left pending or leased.
        stored = _rows(database_url)
        assert sorted(r["idempotency_key"] for r in stored) == sorted(keys), "each memo stored exactly once"
        by_id = {r["id"]: r for r in stored}
        assert {ev["id"] for ev in seen.acknowledged.values()} == set(by_id)
        assert all(r["status"] == "completed" and r["lease_owner"] is None for r in stored)
        assert all(by_id[i]["text_content"] == TEXT.format(key=by_id[i]["idempotency_key"]) for i in by_id)
        # The dead replica held evaluations at the kill; another process finished each of them.
        assert stranded and all(by_id[i]["status"] == "completed" for i in stranded)
        print(f"replica drill: {len(stranded)} stranded at the kill, retries seen by writers: {seen.retried}")
    finally:
        if proxy:
            proxy.stop()
        site.stop_all()
