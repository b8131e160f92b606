"""The configuration API: change, review, roll back, approve, import; refusals in the envelope."""

import io
import zipfile

import pytest

from tests.support.helpers import create_user

MEMO = {
    "text_content": "To: Board\nWe should open a Berlin office by March.\n\nIt costs $2M and pays back in 18 months."
}


@pytest.fixture
def database_url(sqlite_url):
    """The API layer does not depend on the database flavour; the services' tests run both."""
    return sqlite_url


def active(client, headers, name):
    return client.get(f"/api/v1/config/{name}", headers=headers).json()["data"]


def put(client, headers, name, content, base, reason="tuning"):
    body = {"content": content, "reason": reason, "base_version": base}
    return client.put(f"/api/v1/config/{name}", json=body, headers=headers)


def test_a_change_is_applied_written_to_disk_and_traced_by_evaluations(client, admin_headers, settings):
    rubric = active(client, admin_headers, "rubric")
    new = rubric["content"].replace("en: Business memo", "en: Business memo (v2)", 1)
    response = put(client, admin_headers, "rubric", new, rubric["number"])
    assert response.status_code == 200, response.text
    version = response.json()["data"]
    assert (version["number"], version["author"], version["reason"]) == (2, "admin", "tuning")

    path = settings.config_dir / "rubric.yaml"
    assert path.read_text() == new and (settings.config_dir / "rubric.yaml.bak").read_text() == rubric["content"]
    evaluation = client.post("/api/v1/evaluations/submit", json=MEMO, headers=admin_headers).json()["data"]
    assert evaluation["rubric_version_id"] == version["id"] != rubric["id"]
    versions = client.get("/api/v1/config/rubric/versions", headers=admin_headers).json()["data"]
    assert [v["number"] for v in versions] == [2, 1]


def test_history_diff_and_rollback(client, admin_headers):
    llm = active(client, admin_headers, "llm")
    put(client, admin_headers, "llm", llm["content"].replace("max_tokens: 4000", "max_tokens: 3000"), 1)
    diff = client.get("/api/v1/config/llm/diff?from=1&to=2", headers=admin_headers).json()["data"]
    changed = [r for r in diff["rows"] if r["kind"] != "same"]
    assert changed == [
        {"kind": "changed", "left_number": changed[0]["left_number"], "left": "max_tokens: 4000",
         "right_number": changed[0]["right_number"], "right": "max_tokens: 3000"}
    ]  # fmt: skip
    assert "+max_tokens: 3000" in diff["unified"]

    back = client.post("/api/v1/config/llm/rollback", json={"number": 1, "reason": "undo", "base_version": 2},
                       headers=admin_headers)  # fmt: skip
    assert back.status_code == 200 and back.json()["data"]["number"] == 3
    assert active(client, admin_headers, "llm")["content"] == llm["content"]
    assert client.get("/api/v1/config/llm/versions/2", headers=admin_headers).json()["data"]["is_active"] is False


def test_a_stale_edit_answers_409(client, admin_headers):
    auth = active(client, admin_headers, "auth")
    assert (
        put(
            client, admin_headers, "auth", auth["content"].replace("session_hours: 12", "session_hours: 8"), 1
        ).status_code
        == 200
    )
    second = put(client, admin_headers, "auth", auth["content"].replace("session_hours: 12", "session_hours: 10"), 1)
    assert second.status_code == 409
    [error] = second.json()["errors"]
    assert (error["code"], error["field"], error["details"]["active_version"]) == ("stale_version", "base_version", 2)


def test_an_invalid_change_answers_422_naming_line_and_field(client, admin_headers):
    auth = active(client, admin_headers, "auth")
    response = put(client, admin_headers, "auth", auth["content"].replace("session_hours: 12", "sesion_hours: 12"), 1)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["code"] == "invalid_config" and error["field"] == "sesion_hours"
    assert error["details"]["line"] > 1 and error["details"]["layer"] == "schema"
    assert "did you mean 'session_hours'" in error["message"]
    assert client.get("/api/v1/config/nothing", headers=admin_headers).status_code == 404


def test_the_check_shows_problems_inline_and_the_dry_run(client, admin_headers):
    rubric = active(client, admin_headers, "rubric")["content"]
    bad = client.post("/api/v1/config/rubric/check", json={"content": rubric.replace("total_weight: 100", "total_weight: 7")},
                      headers=admin_headers).json()["data"]  # fmt: skip
    assert bad["valid"] is False and bad["problems"][0]["field"] == "total_weight"
    good = client.post("/api/v1/config/rubric/check", json={"content": rubric}, headers=admin_headers).json()["data"]
    assert good["valid"] and good["dry_run"]["changed"] == 0 and len(good["dry_run"]["samples"]) >= 5


def test_a_proposal_needs_a_second_admin(client, admin_headers):
    second = create_user(client, admin_headers, "second-admin", "admin")
    auth = active(client, admin_headers, "auth")
    put(client, admin_headers, "auth", auth["content"].replace("require_approval: false", "require_approval: true"), 1)
    llm = active(client, admin_headers, "llm")
    proposed = put(client, admin_headers, "llm", llm["content"].replace("temperature: 0.2", "temperature: 0.3"), 1)
    assert proposed.status_code == 202
    pid = proposed.json()["data"]["id"]
    [listed] = client.get("/api/v1/config/proposals", headers=admin_headers).json()["data"]
    assert listed["id"] == pid and "temperature: 0.3" in listed["content"]

    own = client.post(f"/api/v1/config/proposals/{pid}/approve", headers=admin_headers)
    assert own.status_code == 403 and own.json()["errors"][0]["code"] == "same_author"
    approved = client.post(f"/api/v1/config/proposals/{pid}/approve", headers=second)
    assert approved.status_code == 200 and approved.json()["data"]["number"] == 2


def test_export_and_import_round_trip(client, admin_headers):
    exported = client.get("/api/v1/config/export", headers=admin_headers)
    assert exported.headers["content-type"] == "application/zip"
    assert set(zipfile.ZipFile(io.BytesIO(exported.content)).namelist()) >= {
        "manifest.json",
        "rubric.yaml",
        "auth.yaml",
    }
    llm = active(client, admin_headers, "llm")
    put(client, admin_headers, "llm", llm["content"].replace("max_retries: 2", "max_retries: 4"), 1)

    files = {"file": ("config.zip", exported.content, "application/zip")}
    imported = client.post("/api/v1/config/import", files=files, data={"reason": "restore"}, headers=admin_headers)
    assert imported.status_code == 200, imported.text
    assert [v["name"] for v in imported.json()["data"]["applied"]] == ["llm"]
    assert active(client, admin_headers, "llm")["content"] == llm["content"]
    junk = client.post("/api/v1/config/import", files={"file": ("x.zip", b"junk", "application/zip")},
                       data={"reason": "x"}, headers=admin_headers)  # fmt: skip
    assert junk.status_code == 422 and junk.json()["errors"][0]["code"] == "bad_archive"


def test_operators_read_but_cannot_change(client, admin_headers):
    operator = create_user(client, admin_headers, "op1", "operator")
    assert client.get("/api/v1/config", headers=operator).status_code == 200
    assert client.get("/api/v1/config/status", headers=operator).json()["data"]["health"]["status"] == "healthy"
    llm = active(client, operator, "llm")
    assert put(client, operator, "llm", llm["content"], 1).status_code == 403
