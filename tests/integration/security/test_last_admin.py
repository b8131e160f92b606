"""The last active admin cannot erase, disable or demote their own account, through any door (issue 24,
finding 2), nor can two admins remove each other at the same moment."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from memo_coach.auth import users
from memo_coach.auth.models import User
from memo_coach.auth.roles import Role
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.errors import Conflict
from tests.support.helpers import create_user, initialise, make_settings, sign_in
from tests.support.pages import form_token


@pytest.fixture
def settings(tmp_path, sqlite_url):
    return make_settings(tmp_path, sqlite_url)


@pytest.fixture
def shell(admin_password, command_line):
    return command_line


def own_erasure(client, headers) -> int:
    requested = client.post("/api/v1/account/erasure", headers=headers)
    assert requested.status_code == 202, requested.text
    return requested.json()["data"]["id"]


def test_the_api_refuses_the_last_admins_own_erasure(client, admin_headers, admin_password):
    request_id = own_erasure(client, admin_headers)
    refused = client.post(f"/api/v1/security/erasure-requests/{request_id}/carry-out", headers=admin_headers)
    assert refused.status_code == 409 and "last active admin" in refused.json()["errors"][0]["message"]
    assert sign_in(client, "admin", admin_password)
    create_user(client, admin_headers, "second-admin", "admin")
    done = client.post(f"/api/v1/security/erasure-requests/{request_id}/carry-out", headers=admin_headers)
    assert done.status_code == 200  # with another admin left, an admin's own erasure goes ahead


def test_the_page_refuses_the_last_admin_disabling_itself(client, admin_password):
    token = form_token(client.get("/login").text)
    client.post("/login", data={"username": "admin", "password": admin_password, "csrf_token": token})
    token = form_token(client.get("/admin/users").text)
    refused = client.post("/admin/users/admin/active", data={"active": "false", "csrf_token": token})
    assert "admin is the last active admin" in refused.text
    assert sign_in(client, "admin", admin_password)


def test_the_command_line_refuses_all_three(shell, client, admin_headers):
    request_id = own_erasure(client, admin_headers)
    for args in (
        ("users", "disable", "admin"),
        ("users", "set-role", "admin", "writer"),
        ("privacy", "erase", request_id),
    ):
        result = shell(*args)
        assert result.exit_code == 1 and "admin is the last active admin" in result.output, (args, result.output)
    assert client.get("/api/v1/users", headers=admin_headers).json()["data"][0]["is_active"] is True


@pytest.mark.postgres
def test_two_admins_disabling_each_other_at_once_leave_one(tmp_path, pg_database):
    from tests.conftest import _truncate_all

    _truncate_all(pg_database)
    initialise(make_settings(tmp_path, pg_database))
    engine = make_engine(pg_database)
    sessions = make_session_factory(engine)
    with session_scope(sessions) as s:
        users.create_user(s, "bob", Role.admin, "pw-bob-long-enough", actor="admin")
    first = sessions()
    users.set_active(first, "bob", False, actor="admin")
    first.flush()  # bob is disabled in a transaction not yet committed
    outcome = {}

    def the_other():
        with session_scope(sessions) as s:
            try:
                users.set_active(s, "admin", False, actor="bob")
            except Conflict as exc:
                outcome["refused"] = exc.message

    other = threading.Thread(target=the_other)
    other.start()
    with engine.connect() as watch:  # wait until the other transaction waits for ours on the admins' rows
        waiting = (
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        while other.is_alive() and not watch.execute(text(waiting)).scalar():
            watch.rollback()
            time.sleep(0.01)
    first.commit()
    first.close()
    other.join()
    assert outcome.get("refused") == "admin is the last active admin; make another admin first"
    with session_scope(sessions) as s:
        assert s.scalar(select(func.count(User.id)).where(User.role == "admin", User.is_active.is_(True))) == 1
    engine.dispose()
