"""llm.yaml's base_url decides where API keys and writers' memos go: its host must be allowed by the
environment, and moving it needs a second admin even without the two-person rule (issue 24, finding 4)."""

import io
import zipfile

import pytest
from sqlalchemy import select

from memo_coach.audit.models import AuditEvent
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.settings import get_settings
from tests.support.helpers import create_user

EVIL = "https://llm.evil.example/v1"
LOCAL = "http://127.0.0.1:11434/v1"


@pytest.fixture
def database_url(sqlite_url):
    """The check and the guard live in services the doors share; one database flavour is enough here."""
    return sqlite_url


@pytest.fixture(autouse=True)
def _settings_from_this_environment():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def llm_with(client, headers, base_url: str) -> str:
    content = client.get("/api/v1/config/llm", headers=headers).json()["data"]["content"]
    before, _, after = content.partition("openai:\n  model: gpt-4o-mini\n")
    assert after, "the shipped llm.yaml changed shape"
    return before + "openai:\n  model: gpt-4o-mini\n" + after.replace("base_url: null", f"base_url: {base_url}", 1)


def put_llm(client, headers, base_url: str):
    body = {"content": llm_with(client, headers, base_url), "reason": "point at our server"}
    return client.put("/api/v1/config/llm", json=body, headers=headers)


def audit_events(settings, action: str) -> list[AuditEvent]:
    engine = make_engine(settings.sqlalchemy_url)
    try:
        with session_scope(make_session_factory(engine)) as s:
            rows = s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
            return [(e.actor, e.target, e.details) for e in rows]
    finally:
        engine.dispose()


def test_a_host_outside_the_allow_list_is_refused_in_words(client, admin_headers):
    refused = put_llm(client, admin_headers, EVIL)
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == "openai.base_url"
    assert "llm.evil.example" in error["message"] and "MEMO_COACH_LLM_ALLOWED_HOSTS" in error["message"]
    assert client.get("/api/v1/config/proposals", headers=admin_headers).json()["data"] == []


def test_the_dry_run_refuses_it_too(client, admin_headers):
    checked = client.post("/api/v1/config/llm/check", json={"content": llm_with(client, admin_headers, EVIL)},
                          headers=admin_headers).json()["data"]  # fmt: skip
    assert checked["valid"] is False and checked["problems"][0]["field"] == "openai.base_url"


def test_moving_the_base_url_waits_for_a_second_admin_without_the_rule(client, admin_headers, settings):
    second = create_user(client, admin_headers, "second-admin", "admin")
    proposed = put_llm(client, admin_headers, LOCAL)
    assert proposed.status_code == 202, proposed.text
    pid = proposed.json()["data"]["id"]
    assert "base_url: null" in (settings.config_dir / "llm.yaml").read_text().split("openai:")[1]
    [(actor, target, details)] = audit_events(settings, "config.guarded_change_proposed")
    assert (actor, target) == ("admin", f"llm proposal {pid}")
    assert details["llm_hosts"] == {"openai": {"from": "api.openai.com", "to": "127.0.0.1:11434"}}

    own = client.post(f"/api/v1/config/proposals/{pid}/approve", headers=admin_headers)
    assert own.status_code == 403 and own.json()["errors"][0]["code"] == "same_author"
    assert client.post(f"/api/v1/config/proposals/{pid}/approve", headers=second).status_code == 200
    assert f"base_url: {LOCAL}" in client.get("/api/v1/config/llm", headers=admin_headers).json()["data"]["content"]
    [(_, _, approved)] = audit_events(settings, "config.approved")
    assert approved["llm_hosts"]["openai"]["to"] == "127.0.0.1:11434"


def test_a_change_that_leaves_the_base_url_alone_applies_at_once(client, admin_headers):
    content = client.get("/api/v1/config/llm", headers=admin_headers).json()["data"]["content"]
    body = {"content": content.replace("temperature: 0.2", "temperature: 0.3"), "reason": "steadier"}
    assert client.put("/api/v1/config/llm", json=body, headers=admin_headers).status_code == 200


def test_the_environment_allows_a_host(client, admin_headers, monkeypatch):
    monkeypatch.setenv("MEMO_COACH_LLM_ALLOWED_HOSTS", "llm.evil.example")
    get_settings.cache_clear()
    assert put_llm(client, admin_headers, EVIL).status_code == 202


def test_an_import_is_checked_and_guarded_the_same_way(client, admin_headers):
    def archive_with(base_url: str) -> dict:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            zf.writestr("llm.yaml", llm_with(client, admin_headers, base_url))
        return {"file": ("config.zip", buffer.getvalue(), "application/zip")}

    post = lambda files: client.post(  # noqa: E731
        "/api/v1/config/import", files=files, data={"reason": "restore"}, headers=admin_headers
    )
    refused = post(archive_with(EVIL))
    assert refused.status_code == 422 and "llm.evil.example" in refused.text
    imported = post(archive_with(LOCAL)).json()["data"]
    assert imported["applied"] == [] and [p["name"] for p in imported["proposed"]] == ["llm"]


def test_the_command_line_refuses_it_in_validate_and_set(tmp_path, settings, admin_password, command_line):
    draft = tmp_path / "llm.yaml"
    draft.write_text((settings.config_dir / "llm.yaml").read_text().replace("base_url: null", f"base_url: {EVIL}"))
    for args in (["validate", "llm", "--file", draft, "--dry-run"], ["set", "llm", "--file", draft, "--reason", "x"]):
        result = command_line("config", *args)
        assert result.exit_code == 1 and "llm.evil.example" in result.output, result.output
