"""One test per finding of the security probe that did not hold on main (findings 2-8; 1 is in
test_server_limits.py, 6 in test_file_modes.py, 9 in tests/integration/api/test_fuzz.py)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from memo_coach.auth.config import LockoutConfig
from memo_coach.auth.models import LoginAttempt
from memo_coach.auth.sessions import lockout_remaining, lockouts_since
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.backups.manifest import SUFFIX, catalogue, corrupt
from tests.support.helpers import create_user, make_settings, sign_in
from tests.support.pages import form_token, sign_in_page, submit

MEMO = "Subject: Budget for the Lisbon office move\n\nApprove €20,000 so we can move in March; the lease ends in April."


@pytest.fixture
def settings(tmp_path, sqlite_url):
    return make_settings(tmp_path, sqlite_url)


def set_auth(client, admin_headers, old: str, new: str) -> None:
    current = client.get("/api/v1/config/auth", headers=admin_headers).json()["data"]["content"]
    assert old in current
    changed = client.put(
        "/api/v1/config/auth", headers=admin_headers, json={"content": current.replace(old, new), "reason": "test"}
    )
    assert changed.status_code == 200, changed.text


# Finding 2
def test_the_submit_form_never_names_another_writers_memo(client, admin_headers):
    token = sign_in_page(client, admin_headers, "writer-a")
    submit(client, token, MEMO)
    client.cookies.clear()
    token = sign_in_page(client, admin_headers, "writer-b")
    page = client.post("/submit", data={"text_content": "", "memo_id": "1", "csrf_token": token})
    assert page.status_code in (404, 422)
    assert "Lisbon" not in page.text


# Finding 3
def test_a_stranger_cannot_lock_the_owner_out(app, admin_password):
    with TestClient(app, client=("203.0.113.5", 4000)) as stranger:
        for _ in range(5):
            wrong = {"username": "admin", "password": "not-the-password"}
            assert stranger.post("/api/v1/auth/login", json=wrong).status_code == 401
        locked = stranger.post("/api/v1/auth/login", json={"username": "admin", "password": admin_password})
        assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    with TestClient(app, client=("198.51.100.7", 4000)) as owner:
        assert (
            owner.post("/api/v1/auth/login", json={"username": "admin", "password": admin_password}).status_code == 200
        )
    with session_scope(app.state.runtime.sessions) as session:
        assert lockouts_since(session, utcnow() - timedelta(minutes=5)) == 1  # what the lockout alert reads


def test_a_lock_that_comes_back_lasts_longer(app):
    cfg = LockoutConfig()  # 5 failures in 15 minutes lock for 15 minutes
    start = utcnow() - timedelta(minutes=40)
    with session_scope(app.state.runtime.sessions) as session:
        for minute in (0, 0, 0, 0, 0, 20, 20, 20, 20, 20):
            at = start + timedelta(minutes=minute)
            session.add(LoginAttempt(username="admin", client_address="203.0.113.5", succeeded=False, at=at))
        session.flush()
        now = start + timedelta(minutes=21)
        wait = lockout_remaining(session, "admin", "203.0.113.5", cfg, now)
        elsewhere = lockout_remaining(session, "admin", "198.51.100.7", cfg, now)
    assert 28 * 60 < wait <= 29 * 60  # the second lock doubles: 30 minutes from the last failure
    assert elsewhere == 0


# Finding 5
def test_under_the_two_person_rule_an_admin_cannot_create_an_approver_alone(client, admin_headers, admin_password):
    second = create_user(client, admin_headers, "second-admin", "admin")  # before the rule: allowed
    writer = create_user(client, admin_headers, "plain-writer")
    set_auth(client, admin_headers, "require_approval: false", "require_approval: true")
    created = client.post(
        "/api/v1/users",
        headers=admin_headers,
        json={"username": "sock-puppet", "role": "admin", "password": "a-long-puppet-password"},
    )
    assert created.status_code == 201 and created.json()["data"]["is_active"] is False
    approval = created.json()["data"]["pending_approvals"][0]["id"]
    refused = client.post("/api/v1/auth/login", json={"username": "sock-puppet", "password": "a-long-puppet-password"})
    assert refused.status_code == 401
    assert client.post(f"/api/v1/users/approvals/{approval}/approve", headers=admin_headers).status_code == 409
    promoted = client.patch("/api/v1/users/plain-writer", headers=admin_headers, json={"role": "admin"})
    assert promoted.json()["data"]["role"] == "writer" and promoted.json()["data"]["pending_approvals"]
    assert client.get("/api/v1/users", headers=writer).status_code == 403
    # A different admin approves: now the account works.
    assert client.post(f"/api/v1/users/approvals/{approval}/approve", headers=second).status_code == 200
    assert (
        client.post(
            "/api/v1/auth/login", json={"username": "sock-puppet", "password": "a-long-puppet-password"}
        ).status_code
        == 200
    )


# Finding 7
def test_every_answer_carries_security_headers_and_private_ones_are_not_cached(client, admin_headers):
    token = sign_in_page(client, admin_headers, "writer-a")
    ev_id = submit(client, token, MEMO)
    for path in ("/", f"/evaluations/{ev_id}", f"/evaluations/{ev_id}/pdf", "/health", "/login", "/docs"):
        response = client.get(path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store", path
    api = client.get("/api/v1/evaluations", headers=admin_headers)
    assert api.headers["cache-control"] == "no-store"
    assert client.get("/static/app.css").headers.get("cache-control") != "no-store"


def test_no_page_has_inline_script():
    from memo_coach.web.app import STATIC_DIR

    templates = STATIC_DIR.parent / "templates"
    # A JSON data block (type="application/json", filled with |tojson) is data the browser never runs.
    code = r"<script(?![^>]*\b(?:src=|type=\"application/json\"))"
    inline = [str(p) for p in templates.rglob("*.html") if re.search(code, p.read_text())]
    handlers = [str(p) for p in templates.rglob("*.html") if re.search(r"\son[a-z]+=", p.read_text())]
    assert inline == [] and handlers == []


# Finding 8
def test_a_lone_surrogate_is_refused_not_a_500(client, writer_headers):
    body = b'{"text_content": "Subject: x\\n\\ud800 budget ask"}'
    response = client.post(
        "/api/v1/evaluations/submit", content=body, headers={**writer_headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "text_content"


def test_a_config_zip_with_a_bad_crc_is_refused_not_a_500(client, admin_headers):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("llm.yaml", "provider: offline\n")
    damaged = bytearray(buffer.getvalue())
    damaged[damaged.index(b"provider")] ^= 0x01  # flips a bit of the stored file: its CRC no longer matches
    response = client.post(
        "/api/v1/config/import",
        headers=admin_headers,
        files={"file": ("config.zip", bytes(damaged), "application/zip")},
        data={"reason": "restore"},
    )
    assert response.status_code == 422 and "damaged" in response.json()["errors"][0]["message"]


def test_an_admins_chat_question_is_not_shown_to_the_writer_as_theirs(client, admin_headers, admin_password):
    token = sign_in_page(client, admin_headers, "writer-a")
    ev_id = submit(client, token, MEMO)
    client.cookies.clear()
    admin_token = form_token(client.get("/login").text)
    client.post("/login", data={"username": "admin", "password": admin_password, "csrf_token": admin_token})
    client.post(f"/evaluations/{ev_id}/chat", data={"question": "Is the ask clear?", "csrf_token": admin_token})
    client.cookies.clear()
    token = form_token(client.get("/login").text)
    client.post("/login", data={"username": "writer-a", "password": "pw-writer-a-long-enough", "csrf_token": token})
    page = client.get(f"/evaluations/{ev_id}").text
    question = page.index("Is the ask clear?")
    assert page.rfind(">You<", 0, question) < page.rfind(">admin<", 0, question)


def test_the_last_admin_cannot_demote_or_disable_itself(client, admin_headers):
    assert client.patch("/api/v1/users/admin", headers=admin_headers, json={"role": "writer"}).status_code == 409
    assert client.patch("/api/v1/users/admin", headers=admin_headers, json={"is_active": False}).status_code == 409


@pytest.mark.parametrize("password", [" " * 12, "password1234", "Password123!", "111111111111", "aaaaaaaaaaaa"])
def test_weak_passwords_are_refused(client, admin_headers, password):
    response = client.post("/api/v1/users", headers=admin_headers, json={"username": "weakling", "password": password})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "password"


def test_a_writer_changes_their_own_password_and_other_sessions_end(client, admin_headers):
    first = create_user(client, admin_headers, "writer-a")
    second = sign_in(client, "writer-a", "pw-writer-a-long-enough")
    wrong = {"current_password": "nope", "new_password": "a brand new passphrase"}
    assert client.post("/api/v1/account/password", headers=first, json=wrong).status_code == 422
    change = {"current_password": "pw-writer-a-long-enough", "new_password": "a brand new passphrase"}
    assert client.post("/api/v1/account/password", headers=first, json=change).status_code == 200
    assert client.get("/api/v1/auth/validate", headers=first).status_code == 200
    assert client.get("/api/v1/auth/validate", headers=second).status_code == 401
    assert sign_in(client, "writer-a", "a brand new passphrase")


def test_banners_cannot_be_written_through_the_url(client, admin_headers):
    for url in ("/ops/maintenance?done=CALL+0800+SUPPORT", "/admin/config?notice=CALL+0800+SUPPORT"):
        assert "CALL 0800 SUPPORT" not in client.get(url, headers=admin_headers).text


def test_one_writer_cannot_send_a_burst_of_evaluations(client, writer_headers):
    statuses = [
        client.post("/api/v1/evaluations/submit", headers=writer_headers, json={"text_content": MEMO}).status_code
        for _ in range(10)
    ]
    assert statuses.count(201) == 6 and statuses[-1] == 429
    last = client.post("/api/v1/evaluations/submit", headers=writer_headers, json={"text_content": MEMO})
    assert int(last.headers["Retry-After"]) > 0


def test_a_backup_manifest_cannot_name_a_file_outside_the_backup_directory(tmp_path):
    fields = {
        "id": "20260101T000000Z", "created_at": "2026-01-01T00:00:00+00:00", "dialect": "sqlite",
        "file": "../../etc/passwd", "size_bytes": 1, "sha256": "0" * 64, "row_counts": {}, "schema_revision": None,
        "app_version": "0", "encrypted": False, "reason": "manual",
    }  # fmt: skip
    (tmp_path / f"20260101T000000Z{SUFFIX}").write_text(json.dumps(fields))
    assert catalogue(tmp_path) == []
    [refused] = corrupt(tmp_path)  # listed as corrupt with its reason, never followed
    assert "not a file in the backup directory" in refused.reason
