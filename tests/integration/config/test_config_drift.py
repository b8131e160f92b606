"""Edits to config/*.yaml while the app runs: valid ones become versions, broken ones are refused visibly."""

import time

from fastapi.testclient import TestClient
from sqlalchemy import select

from memo_coach.audit.models import AuditEvent
from memo_coach.component_status import HEALTHY, UNHEALTHY
from memo_coach.config_store import changes, versions
from memo_coach.config_store.drift import DriftWatcher, config_health
from memo_coach.db.engine import session_scope
from memo_coach.web.app import create_app
from tests.support.helpers import initialise, make_settings, sign_in


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def active(sessions, name):
    with session_scope(sessions) as s:
        return versions.active_version(s, name)


def refusals(sessions):
    with session_scope(sessions) as s:
        return s.scalars(select(AuditEvent.target).where(AuditEvent.action == "config.refused")).all()


def test_a_valid_edit_on_disk_becomes_a_version_by_file(store_settings, sessions):
    watcher = DriftWatcher(sessions, store_settings.config_dir)
    assert watcher.check() == []
    edit(store_settings.config_dir / "llm.yaml", "temperature: 0.2", "temperature: 0.3")
    assert watcher.check() == ["llm: edit on disk applied as version 2"]
    version = active(sessions, "llm")
    assert (version.number, version.author) == (2, "file") and "temperature: 0.3" in version.content
    assert watcher.check() == []


def test_a_broken_edit_is_refused_once_and_the_last_good_version_keeps_serving(store_settings, sessions):
    watcher = DriftWatcher(sessions, store_settings.config_dir)
    watcher.check()
    path = store_settings.config_dir / "auth.yaml"
    edit(path, "session_hours: 12", "session_hours: -1")

    [line] = watcher.check()
    assert line.startswith(f"auth: edit on disk refused: {path}:4:16: session_hours:")
    assert active(sessions, "auth").number == 1
    health = config_health(watcher)
    assert health.status == UNHEALTHY
    assert str(path) in health.reason and "session_hours" in health.reason and "still serving" in health.reason
    assert watcher.check() == [] and refusals(sessions) == ["auth"]  # audited once, not on every pass

    edit(path, "session_hours: -1", "session_hours: 10")
    assert watcher.check() == ["auth: edit on disk applied as version 2"]
    assert config_health(watcher).status == HEALTHY


def test_a_stale_file_is_refreshed_from_the_database(store_settings, sessions):
    watcher = DriftWatcher(sessions, store_settings.config_dir)
    watcher.check()
    with session_scope(sessions) as s:  # another replica, or the CLI, changed the database
        text = versions.active_version(s, "llm").content.replace("max_retries: 2", "max_retries: 5")
        changes.request_change(s, "llm", text, author="alice", reason="more retries")
    [line] = watcher.check()
    assert line.startswith("llm: wrote active version 2 back")
    assert "max_retries: 5" in (store_settings.config_dir / "llm.yaml").read_text()
    assert (store_settings.config_dir / "llm.yaml.bak").exists()


def test_at_start_an_old_version_on_disk_is_stale_but_new_content_is_an_edit(store_settings, sessions):
    path = store_settings.config_dir / "llm.yaml"
    original = path.read_text()
    edit(path, "temperature: 0.2", "temperature: 0.3")
    DriftWatcher(sessions, store_settings.config_dir).check()  # v2 from the edit
    path.write_text(original)  # this replica's disk still has v1 when it restarts
    assert DriftWatcher(sessions, store_settings.config_dir).check()[0].startswith("llm: wrote active version 2")
    assert "temperature: 0.3" in path.read_text()


def test_under_the_two_person_rule_an_edit_on_disk_is_a_proposal(store_settings, sessions):
    watcher = DriftWatcher(sessions, store_settings.config_dir)
    edit(store_settings.config_dir / "auth.yaml", "require_approval: false", "require_approval: true")
    watcher.check()
    edit(store_settings.config_dir / "llm.yaml", "temperature: 0.2", "temperature: 0.3")
    assert watcher.check()[0].startswith("llm: edit on disk proposed as proposal")
    assert watcher.check() == []
    assert active(sessions, "llm").number == 1


def test_a_running_app_refuses_a_broken_file_and_keeps_serving(tmp_path, sqlite_url):
    settings = make_settings(tmp_path, sqlite_url, config_watch_seconds=0.05)
    password = initialise(settings).admin_password
    with TestClient(create_app(settings)) as client:
        headers = sign_in(client, "admin", password)
        edit(settings.config_dir / "rubric.yaml", "total_weight: 100", "total_weight: 80")
        status = wait_for(client, headers, lambda d: d["disk"]["files"]["rubric"]["state"] == "refused")
        assert status["health"]["status"] == "unhealthy" and "rubric.yaml" in status["health"]["reason"]
        problem = status["disk"]["files"]["rubric"]["refusal"]["problems"][0]
        assert (problem["field"], problem["layer"]) == ("total_weight", "semantics")

        memo = {"text_content": "To: Board\nWe should open a Berlin office by March. It costs $2M."}
        evaluation = client.post("/api/v1/evaluations/submit", json=memo, headers=headers)
        assert evaluation.status_code == 201
        rubric = client.get("/api/v1/config/rubric", headers=headers).json()["data"]
        assert rubric["number"] == 1 and "total_weight: 100" in rubric["content"]

        edit(settings.config_dir / "rubric.yaml", "total_weight: 80", "total_weight: 100")
        wait_for(client, headers, lambda d: d["health"]["status"] == "healthy")


def wait_for(client, headers, condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        data = client.get("/api/v1/config/status", headers=headers).json()["data"]
        if condition(data) or time.monotonic() > deadline:
            assert condition(data), data
            return data
        time.sleep(0.05)


def test_two_workers_watching_one_disk_import_an_edit_once(store_settings, sessions):
    first, second = (DriftWatcher(sessions, store_settings.config_dir) for _ in range(2))
    first.check(), second.check()
    edit(store_settings.config_dir / "llm.yaml", "temperature: 0.2", "temperature: 0.3")
    assert first.check() == ["llm: edit on disk applied as version 2"]
    assert second.check() == []  # it reads the same file, which is now the active version
    assert config_health(second).status == HEALTHY and active(sessions, "llm").number == 2
