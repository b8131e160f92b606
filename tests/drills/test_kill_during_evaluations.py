"""kill -9 a server while it evaluates: another running process (a server, or `memo-coach worker`)
takes the work over, without a restart.

`kill_drill` is shared with bench/recovery_bench.py, which reports the takeover time as JSON.
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tests.drills import rows
from tests.drills.servers import Site
from tests.support.fake_llm import FakeLLM

MEMOS = 6
TEXT = "Memo {n}: we ask for two engineers by June to cut the ticket backlog by 30%. Approve by Friday."


def _submit_forever(server, headers: dict, n: int) -> None:
    try:
        with server.client() as c:
            c.post("/api/v1/evaluations/submit", headers=headers, json={"text_content": TEXT.format(n=n)})
    except httpx.HTTPError:
        pass  # the server was killed under this request: it was never acknowledged to the writer


def _wait(condition, seconds: float, what: str) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.05)
    return time.monotonic()


def kill_drill(site: Site, fake: FakeLLM, llm_seconds: float = 2.0, survivor: str = "serve") -> dict:
    """A server and a survivor (another server, or `memo-coach worker`) on one database; MEMOS
    evaluations in flight on the server, which is killed."""
    fake.default = f"slow:{llm_seconds}"
    site.init(fake.openai_base_url, timeout=10)
    started = time.monotonic()
    if survivor == "serve":
        site.serve()
    else:
        site.worker()
    survivor_ready = time.monotonic() - started
    doomed = site.serve()
    headers = doomed.sign_in("alice")
    writers = [threading.Thread(target=_submit_forever, args=(doomed, headers, n)) for n in range(MEMOS)]
    for w in writers:
        w.start()
    _wait(lambda: len(rows.evaluations(site.database)) == MEMOS, 30, "every memo stored as pending")
    killed_at = time.monotonic()
    doomed.kill()
    claimed = _wait(
        lambda: all(
            r["lease_owner"] is None or str(doomed.proc.pid) not in r["lease_owner"]
            for r in rows.evaluations(site.database)
        ),
        60,
        "every stranded evaluation claimed by the survivor",
    )
    done = _wait(
        lambda: all(r["status"] == "completed" for r in rows.evaluations(site.database)),
        60,
        "every evaluation completed",
    )
    for w in writers:
        w.join(timeout=30)
    return {
        "evaluations_in_flight": MEMOS,
        "llm_seconds_per_call": llm_seconds,
        "kill_to_all_claimed_seconds": round(claimed - killed_at, 2),
        "kill_to_all_completed_seconds": round(done - killed_at, 2),
        "survivor": survivor,
        "survivor_start_to_ready_seconds": round(survivor_ready, 2),
    }


@pytest.mark.parametrize("survivor", ["serve", "worker"])
def test_evaluations_in_flight_on_a_killed_server_are_finished_by_another(site, fake, survivor):
    measured = kill_drill(site, fake, survivor=survivor)
    print("kill drill:", measured)
    stored = rows.evaluations(site.database)
    texts = sorted(r["text_content"] for r in stored)
    assert texts == sorted(TEXT.format(n=n) for n in range(MEMOS)), "every memo present exactly once"
    assert all(r["status"] == "completed" and r["username"] == "alice" for r in stored)
    assert all(r["lease_owner"] is None for r in stored)
    assert rows.integrity(site.database) == "ok"
    # Lease (6 s) plus one sweep (1 s) bounds the takeover; not a speed goal, a broken lease would take forever.
    assert measured["kill_to_all_claimed_seconds"] < 20, measured
