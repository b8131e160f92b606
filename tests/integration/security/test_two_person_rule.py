"""One admin must not be two people (issue 24, finding 1): resetting another admin's password waits for a
third admin, and nobody approves a change when one person could be signed in as both sides."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from memo_coach.auth.credentials import LINK_DAYS, controllers
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from tests.support.helpers import create_user, make_settings, sign_in
from tests.support.pages import form_token


@pytest.fixture
def settings(tmp_path, sqlite_url):
    """The rule lives in services both databases run; the doors are what these tests walk."""
    return make_settings(tmp_path, sqlite_url)


def set_rule(client, headers, on: bool) -> None:
    old, new = ("false", "true") if on else ("true", "false")
    current = client.get("/api/v1/config/auth", headers=headers).json()["data"]["content"]
    body = {"content": current.replace(f"require_approval: {old}", f"require_approval: {new}"), "reason": "test"}
    assert client.put("/api/v1/config/auth", headers=headers, json=body).status_code == 200


def reset_at_once(client, headers, username: str) -> str:
    reset = client.post(f"/api/v1/users/{username}/reset-password", headers=headers)
    assert reset.status_code == 200, reset.text
    return reset.json()["data"]["password"]


def take_over(client, username: str, password: str) -> dict:
    """What the attacker does with a password they saw: sign in and make it their own."""
    headers = sign_in(client, username, password)
    body = {"current_password": password, "new_password": f"taken-over-{username}-passphrase"}
    assert client.post("/api/v1/account/password", headers=headers, json=body).status_code == 200
    return headers


def propose(client, headers, old: str, new: str) -> int:
    content = client.get("/api/v1/config/llm", headers=headers).json()["data"]["content"]
    body = {"content": content.replace(old, new), "reason": "test"}
    proposed = client.put("/api/v1/config/llm", headers=headers, json=body)
    assert proposed.status_code == 202, proposed.text
    return proposed.json()["data"]["id"]


def approve_config(client, headers, pid: int):
    return client.post(f"/api/v1/config/proposals/{pid}/approve", headers=headers)


def approve_account(client, headers, approval_id: int):
    return client.post(f"/api/v1/users/approvals/{approval_id}/approve", headers=headers)


def linked(response) -> bool:
    return response.status_code == 403 and response.json()["errors"][0]["code"] == "linked_approver"


def test_under_the_rule_another_admins_reset_waits_and_only_a_third_admin_sees_the_password(client, admin_headers):
    bob = create_user(client, admin_headers, "bob", "admin")
    carol = create_user(client, admin_headers, "carol", "admin")
    set_rule(client, admin_headers, True)
    asked = client.post("/api/v1/users/bob/reset-password", headers=admin_headers)
    assert asked.status_code == 202 and "password" not in asked.json()["data"]
    [waiting] = asked.json()["data"]["pending_approvals"]
    assert waiting["change"] == "reset_password" and waiting["requested_by"] == "admin"
    assert sign_in(client, "bob", "pw-bob-long-enough")  # nothing changed yet
    assert approve_account(client, admin_headers, waiting["id"]).status_code == 409  # the requester
    assert approve_account(client, bob, waiting["id"]).status_code == 409  # the account itself
    granted = approve_account(client, carol, waiting["id"])
    assert granted.status_code == 200 and granted.json()["data"]["status"] == "approved"
    assert sign_in(client, "bob", granted.json()["data"]["password"])
    old = client.post("/api/v1/auth/login", json={"username": "bob", "password": "pw-bob-long-enough"})
    assert old.status_code == 401


def test_a_reset_made_before_the_rule_does_not_let_its_maker_approve_as_the_account(client, admin_headers):
    create_user(client, admin_headers, "bob", "admin")
    carol = create_user(client, admin_headers, "carol", "admin")
    as_bob = take_over(client, "bob", reset_at_once(client, admin_headers, "bob"))
    set_rule(client, admin_headers, True)

    own_change = propose(client, admin_headers, "temperature: 0.2", "temperature: 0.3")
    assert linked(approve_config(client, as_bob, own_change))
    created = client.post("/api/v1/users", headers=admin_headers, json={"username": "dave", "role": "admin"})
    own_admin = created.json()["data"]["pending_approvals"][0]["id"]
    assert linked(approve_account(client, as_bob, own_admin))
    change_as_bob = propose(client, as_bob, "max_retries: 2", "max_retries: 3")
    assert linked(approve_config(client, admin_headers, change_as_bob))

    assert approve_config(client, carol, own_change).status_code == 200  # a real second person still can
    assert approve_account(client, carol, own_admin).status_code == 200


def test_the_admin_who_approved_a_reset_cannot_use_it_either(client, admin_headers):
    create_user(client, admin_headers, "bob", "admin")
    carol = create_user(client, admin_headers, "carol", "admin")
    set_rule(client, admin_headers, True)
    waiting = client.post("/api/v1/users/bob/reset-password", headers=admin_headers).json()["data"]
    password = approve_account(client, carol, waiting["pending_approvals"][0]["id"]).json()["data"]["password"]
    as_bob = take_over(client, "bob", password)
    carols_change = propose(client, carol, "temperature: 0.2", "temperature: 0.3")
    assert linked(approve_config(client, as_bob, carols_change))
    assert approve_config(client, admin_headers, carols_change).status_code == 200


def test_two_accounts_whose_passwords_one_admin_reset_cannot_approve_each_other(client, admin_headers):
    create_user(client, admin_headers, "bob", "admin")
    create_user(client, admin_headers, "carol", "admin")
    dave = create_user(client, admin_headers, "dave", "admin")
    as_bob = take_over(client, "bob", reset_at_once(client, admin_headers, "bob"))
    as_carol = take_over(client, "carol", reset_at_once(client, admin_headers, "carol"))
    set_rule(client, admin_headers, True)
    pid = propose(client, as_bob, "temperature: 0.2", "temperature: 0.3")
    refused = approve_config(client, as_carol, pid)
    assert linked(refused) and "admin" in refused.json()["errors"][0]["message"]
    assert approve_config(client, dave, pid).status_code == 200


def test_the_link_ends_after_the_window(app, client, admin_headers):
    create_user(client, admin_headers, "bob", "admin")
    reset_at_once(client, admin_headers, "bob")
    with session_scope(app.state.runtime.sessions) as session:
        assert controllers(session, "bob", utcnow()) == {"bob", "admin"}
        assert controllers(session, "bob", utcnow() + timedelta(days=LINK_DAYS, minutes=1)) == {"bob"}


def sign_in_page(client, username: str, password: str) -> str:
    client.cookies.clear()
    token = form_token(client.get("/login").text)
    client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    return form_token(client.get("/admin/users").text)


def test_the_users_page_asks_for_approval_and_shows_the_password_to_the_approver(client, admin_headers, admin_password):
    create_user(client, admin_headers, "bob", "admin")
    create_user(client, admin_headers, "carol", "admin")
    set_rule(client, admin_headers, True)
    token = sign_in_page(client, "admin", admin_password)
    asked = client.post("/admin/users/bob/reset-password", data={"csrf_token": token})
    assert "waits for another admin" in asked.text and "<code>" not in asked.text
    approval = re.search(r"/admin/users/approvals/(\d+)/approve", asked.text).group(1)
    token = sign_in_page(client, "carol", "pw-carol-long-enough")
    granted = client.post(f"/admin/users/approvals/{approval}/approve", data={"csrf_token": token})
    password = re.search(r"Password for <strong>bob</strong>: <code>([^<]+)</code>", granted.text).group(1)
    assert sign_in(client, "bob", password)
