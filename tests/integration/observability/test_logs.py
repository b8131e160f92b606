"""Logs: JSON lines with the request id, user, route, status and duration; never a password or memo text."""

import json

from memo_coach.observability.logs import LOG_FILE
from tests.support.helpers import create_user

PHRASE = "zanzibar-quokka-phrase-4471"


def log_lines(settings) -> list[dict]:
    text = (settings.data_dir / LOG_FILE).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_each_request_is_one_json_line_with_its_context(client, settings, admin_headers):
    response = client.get("/api/v1/evaluations", headers={**admin_headers, "X-Request-ID": "trace-abc-123"})
    assert response.headers["x-request-id"] == "trace-abc-123"
    [line] = [
        e for e in log_lines(settings) if e.get("request_id") == "trace-abc-123" and e["logger"] == "memo_coach.access"
    ]
    assert line["route"] == "/api/v1/evaluations" and line["status"] == 200 and line["method"] == "GET"
    assert line["user_id"] == 1 and line["duration_ms"] >= 0 and line["level"] == "INFO"
    assert line["time"].endswith("+00:00")


def test_a_request_id_is_made_when_none_is_sent_and_returned(client, settings):
    response = client.get("/health/nowhere-known", follow_redirects=False)
    rid = response.headers["x-request-id"]
    assert len(rid) == 32
    assert any(e.get("request_id") == rid and e.get("status") == 303 for e in log_lines(settings))


def test_no_password_and_no_memo_text_reach_the_log(client, settings, admin_headers, admin_password):
    writer = create_user(client, admin_headers, "loggy")
    client.post("/api/v1/auth/login", json={"username": "loggy", "password": "wrong-" + PHRASE})
    memo = f"Proposal: adopt {PHRASE} for the vendor switch. It saves money. Approve by Friday."
    assert client.post("/api/v1/evaluations/submit", headers=writer, json={"text_content": memo}).status_code == 201
    client.post("/api/v1/evaluations/submit", headers=writer, json={"text_content": "x" * 30_000 + PHRASE})
    text = (settings.data_dir / LOG_FILE).read_text(encoding="utf-8")
    assert "memo_coach.access" in text  # the requests were logged...
    assert PHRASE not in text and admin_password not in text and "pw-loggy" not in text  # ...without their bodies
    assert writer["X-Session-Token"] not in text


def test_errors_are_logged_with_their_exception_type(app, client, settings):
    @app.get("/boom-for-test")
    def boom():
        raise ZeroDivisionError("test failure")

    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        assert c.get("/boom-for-test").status_code == 500
    errors = [e for e in log_lines(settings) if e["level"] == "ERROR"]
    assert any(e.get("exc_type") == "ZeroDivisionError" and e.get("route") == "/boom-for-test" for e in errors)


def test_configuring_twice_keeps_one_pair_of_handlers(settings):
    import logging

    from memo_coach.observability.logs import configure_logging

    configure_logging(settings)
    configure_logging(settings)
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_memo_coach_handler", False)]
    assert len(ours) == 2
