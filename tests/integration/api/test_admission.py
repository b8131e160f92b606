"""Past capacity the API answers at once and honestly, and long evaluations do not hold connections:
a bounded first-come-first-served queue with 503 + Retry-After beyond it, and `Prefer: respond-async`."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from memo_coach.auth.models import RateLimitBucket
from memo_coach.coaching.models import Evaluation
from memo_coach.db.engine import session_scope
from memo_coach.web.app import create_app
from tests.support.helpers import create_user, sign_in, use_fake_llm

MEMO = "We should move to one vendor. It saves $120,000 a year. We ask for approval by Friday."
ASYNC = {"Prefer": "respond-async"}


def submit(client, headers, **extra):
    return client.post("/api/v1/evaluations/submit", headers={**headers, **extra}, json={"text_content": MEMO})


def stored(app) -> int:
    with session_scope(app.state.runtime.sessions) as s:
        return s.scalar(select(func.count()).select_from(Evaluation))


def wait_finished(client, headers, url: str, seconds: float = 20) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ev = client.get(url, headers=headers).json()["data"]
        if ev["status"] != "pending":
            return ev
        time.sleep(0.1)
    raise AssertionError(f"{url} still pending after {seconds} s")


@pytest.fixture
def small_app(settings, admin_password):
    settings.evaluation_workers = 1
    settings.evaluation_queue = 1
    return create_app(settings)


def test_past_capacity_a_submission_is_refused_at_once_with_retry_after_and_queued_ones_complete(
    small_app, admin_password, fake
):
    fake.default = "slow:2"
    with TestClient(small_app) as client:
        use_fake_llm(small_app, fake.openai_base_url, timeout=10)
        writer = create_user(client, sign_in(client, "admin", admin_password), "writer-busy")
        accepted = [submit(client, writer, **ASYNC) for _ in range(2)]  # one runs, one waits
        assert [a.status_code for a in accepted] == [202, 202]
        started = time.monotonic()
        refused = [submit(client, writer, **ASYNC), submit(client, writer)]  # async and synchronous alike
        assert time.monotonic() - started < 1.5  # answered at once, not after the queue drains (4 s)
        for answer in refused:
            assert answer.status_code == 503, answer.text
            assert int(answer.headers["Retry-After"]) >= 1
            body = answer.json()
            assert body["data"] is None and body["errors"][0]["code"] == "overloaded"
            assert body["errors"][0]["details"]["retry_after_seconds"] == int(answer.headers["Retry-After"])
        assert stored(small_app) == 2  # nothing was stored for the refused ones
        done = [wait_finished(client, writer, a.headers["Location"]) for a in accepted]
        assert [(d["status"], d["provider"], d["degraded"]) for d in done] == [("completed", "openai", False)] * 2
        fake.default = "good"
        assert submit(client, writer).status_code == 201  # room again once the queue drained


def test_respond_async_answers_202_with_the_url_and_the_result_arrives_later(app, client, writer_headers, fake):
    fake.default = "slow:3"
    use_fake_llm(app, fake.openai_base_url, timeout=10)
    started = time.monotonic()
    answer = submit(client, writer_headers, Prefer="wait=5, respond-async", **{"Idempotency-Key": "async-1"})
    assert time.monotonic() - started < 2.0  # not after the model's 3 s
    assert answer.status_code == 202, answer.text
    assert answer.headers["Preference-Applied"] == "respond-async"
    data = answer.json()["data"]
    assert (
        data["status"] == "pending" and answer.headers["Location"] == data["url"] == f"/api/v1/evaluations/{data['id']}"
    )
    again = submit(client, writer_headers, **ASYNC, **{"Idempotency-Key": "async-1"})
    assert again.status_code == 202 and again.json()["data"]["id"] == data["id"]  # the same job, not a second one
    done = wait_finished(client, writer_headers, data["url"])
    assert done["status"] == "completed" and done["provider"] == "openai" and done["overall_score"] is not None
    assert stored(app) == 1


def test_the_page_progress_stream_ends_with_the_finished_status(app, client, writer_headers, fake):
    fake.default = "slow:1"
    use_fake_llm(app, fake.openai_base_url, timeout=10)
    ev_id = submit(client, writer_headers, **ASYNC).json()["data"]["id"]
    events = []
    with client.stream(
        "GET", f"/evaluations/{ev_id}/progress", headers={**writer_headers, "Accept": "text/event-stream"}
    ) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
    assert events[0]["status"] == "pending" and events[-1]["status"] == "completed"
    polled = client.get(f"/evaluations/{ev_id}/progress", headers={**writer_headers, "Accept": "application/json"})
    assert polled.json()["status"] == "completed"  # the fallback for browsers without EventSource


def test_the_sign_in_and_configuration_dependencies_hold_no_connection_for_the_route(app, writer_headers):
    """Each runs in its own thread; a connection kept until the route's thread would let waiting
    requests hold every connection of a bounded pool (PostgreSQL) while the threads wait for one."""
    from starlette.requests import Request

    from memo_coach.auth.roles import Role
    from memo_coach.web.deps import RoleRequirement, get_config

    headers = [(k.lower().encode(), v.encode()) for k, v in writer_headers.items()]
    request = Request({"type": "http", "path": "/api/v1/evaluations", "headers": headers, "app": app})
    pool = app.state.runtime.engine.pool
    with app.state.runtime.sessions() as db:
        user = RoleRequirement(Role.writer)(request, db)
        assert not db.in_transaction() and pool.checkedout() == 0
        assert user.username  # still loaded after the connection went back
        get_config(request, db)
        assert not db.in_transaction() and pool.checkedout() == 0


def submit_hits(app) -> int:
    """The submissions counted against the rate limits (per account and per client)."""
    with session_scope(app.state.runtime.sessions) as s:
        return s.scalar(select(func.sum(RateLimitBucket.hits)).where(RateLimitBucket.key.like("submit:%"))) or 0


def test_the_checks_and_the_memo_commit_together_so_a_refused_memo_is_not_counted(app, client, writer_headers):
    before = submit_hits(app)
    refused = client.post("/api/v1/evaluations/submit", headers=writer_headers, json={"text_content": "   "})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "text_content"
    assert submit_hits(app) == before
    assert submit(client, writer_headers).status_code == 201
    assert submit_hits(app) == before + 2  # one hit for the account, one for the client address


def test_waiting_for_the_first_submission_of_a_key_holds_no_lock_on_other_writers(
    app, client, writer_headers, admin_headers, fake
):
    """A resent submission waits for the first one's result; it must not wait inside the checks'
    transaction, which holds SQLite's write lock (PostgreSQL: the rate limit's row)."""
    fake.default = "slow:3"
    use_fake_llm(app, fake.openai_base_url, timeout=10)
    key = {"Idempotency-Key": "resent-1"}
    first = submit(client, writer_headers, **ASYNC, **key)
    assert first.status_code == 202
    with ThreadPoolExecutor(1) as pool:
        resent = pool.submit(submit, client, writer_headers, **key)  # waits for the first's result
        time.sleep(0.5)
        started = time.monotonic()
        other = submit(client, admin_headers, **ASYNC)
        assert other.status_code == 202 and time.monotonic() - started < 2.0  # not after the model's 3 s
        answer = resent.result(timeout=20)
    assert answer.status_code == 201 and answer.json()["data"]["id"] == first.json()["data"]["id"]
    assert answer.json()["data"]["status"] == "completed"
