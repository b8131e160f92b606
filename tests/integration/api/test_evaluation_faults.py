"""What writers get when things go wrong: a garbled or unusable model, a hanging model, a repeated
submission, an unexpected fault, a full disk. Never a 500 for the model's faults, never a second copy."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from memo_coach.coaching.models import Evaluation
from memo_coach.db.engine import session_scope
from memo_coach.observability.metrics import LLM_UP
from tests.support.helpers import use_fake_llm

MEMO = "We should move to one vendor. It saves $120,000 a year. We ask for approval by Friday."


def submit(client, headers, **extra_headers):
    return client.post("/api/v1/evaluations/submit", headers={**headers, **extra_headers}, json={"text_content": MEMO})


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_a_garbled_http_body_takes_the_degraded_path_not_a_500(app, client, writer_headers, fake, provider):
    app.state.runtime.settings.anthropic_api_key = SecretStr("test-key-not-real")
    base = fake.openai_base_url if provider == "openai" else fake.anthropic_base_url
    use_fake_llm(app, base, provider)
    fake.default = "garbled"
    answer = submit(client, writer_headers)
    assert answer.status_code == 201, answer.text
    ev = answer.json()["data"]
    assert ev["status"] == "completed" and ev["degraded"] is True and "unreadably" in ev["degraded_reason"]


def test_a_hanging_model_is_cut_off_at_the_overall_deadline(app, client, writer_headers, fake):
    use_fake_llm(app, fake.openai_base_url, timeout=30, max_retries=3)
    app.state.runtime.coach.deadline_seconds = 2
    fake.default = "hang"
    started = time.monotonic()
    ev = submit(client, writer_headers).json()["data"]
    assert time.monotonic() - started < 10  # 30 s x 4 attempts before the deadline existed
    assert ev["degraded"] is True and "deadline" in ev["degraded_reason"]


def test_unusable_content_counts_against_llm_health_and_opens_the_breaker(
    app, client, writer_headers, admin_headers, fake
):
    use_fake_llm(app, fake.openai_base_url, failure_threshold=2)
    fake.default = "invalid"
    first = submit(client, writer_headers).json()["data"]
    assert first["degraded"] is True and fake.request_count == 2  # the answer and its repair, both unusable
    submit(client, writer_headers)
    assert fake.request_count == 2, "the breaker opened: the model is not paid to answer garbage again"
    health = client.get("/health/llm", headers=admin_headers).json()["components"][0]
    assert health["status"] == "degraded" and LLM_UP.labels("openai")._value.get() == 0


def test_llm_health_recovers_on_the_first_good_call(app, client, writer_headers, admin_headers, fake):
    use_fake_llm(app, fake.openai_base_url, failure_threshold=50)
    fake.default = "status:400"
    for _ in range(4):
        submit(client, writer_headers)
    assert client.get("/health/llm", headers=admin_headers).json()["components"][0]["status"] == "degraded"
    fake.default = "good"
    assert submit(client, writer_headers).json()["data"]["degraded"] is False
    health = client.get("/health/llm", headers=admin_headers).json()["components"][0]
    assert health["status"] == "healthy" and LLM_UP.labels("openai")._value.get() == 1


def _stored(app) -> int:
    with session_scope(app.state.runtime.sessions) as session:
        return session.scalar(select(func.count()).select_from(Evaluation))


def test_a_repeated_idempotency_key_answers_with_the_first_evaluation(app, client, writer_headers):
    first = submit(client, writer_headers, **{"Idempotency-Key": "retry-after-drop-1"})
    again = submit(client, writer_headers, **{"Idempotency-Key": "retry-after-drop-1"})
    assert first.status_code == again.status_code == 201
    assert again.json()["data"]["id"] == first.json()["data"]["id"] and _stored(app) == 1
    other = client.post(
        "/api/v1/evaluations/submit",
        headers={**writer_headers, "Idempotency-Key": "retry-after-drop-1"},
        json={"text_content": MEMO + " And one more thing."},
    )
    assert other.status_code == 409 and other.json()["errors"][0]["code"] == "idempotency_key_reused"
    bad = submit(client, writer_headers, **{"Idempotency-Key": "has spaces"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "idempotency_key"


def test_the_page_form_carries_a_key_so_sending_it_twice_stores_one_memo(app, client, writer_headers):
    import re

    from tests.support.pages import form_token

    page = client.get("/", headers=writer_headers).text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    assert len(key) == 32
    fields = {"csrf_token": form_token(page), "idempotency_key": key, "text_content": MEMO}
    sent = [client.post("/submit", headers=writer_headers, data=fields, follow_redirects=False) for _ in range(2)]
    assert [r.status_code for r in sent] == [303, 303]
    assert sent[0].headers["location"] == sent[1].headers["location"] and _stored(app) == 1


def test_an_unexpected_fault_answers_with_the_real_request_id(app, writer_headers, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(app.state.runtime.coach, "accept", broken)
    with TestClient(app, raise_server_exceptions=False) as raw:
        answer = submit(raw, writer_headers, **{"X-Request-ID": "trace-me-123"})
    assert answer.status_code == 500
    assert answer.json()["meta"]["request_id"] == "trace-me-123"  # was "-"
    assert answer.headers["X-Request-ID"] == "trace-me-123"


def test_a_full_disk_is_a_clear_507_on_any_route(app, admin_password, monkeypatch):
    """The mapping; the drill in tests/drills fills a real disk."""
    from memo_coach.auth import sessions as auth_sessions

    def disk_full(*args, **kwargs):
        raise OperationalError("INSERT INTO user_sessions", {}, Exception("database or disk is full"))

    monkeypatch.setattr(auth_sessions, "login", disk_full)
    with TestClient(app, raise_server_exceptions=False) as raw:
        answer = raw.post("/api/v1/auth/login", json={"username": "admin", "password": admin_password})
    assert answer.status_code == 507 and answer.headers["Retry-After"] == "60"
    assert answer.json()["errors"][0]["code"] == "storage_full" and answer.json()["meta"]["request_id"] != "-"
