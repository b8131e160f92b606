"""The admin's users page and the writer's account page, driven through their forms."""

from __future__ import annotations

import re

import pytest

from tests.support.helpers import make_settings, sign_in
from tests.support.pages import form_token


@pytest.fixture
def settings(tmp_path, sqlite_url):
    return make_settings(tmp_path, sqlite_url)


@pytest.fixture
def admin_page(client, admin_password):
    token = form_token(client.get("/login").text)
    client.post("/login", data={"username": "admin", "password": admin_password, "csrf_token": token})
    return token


def test_an_admin_creates_changes_resets_and_signs_out_a_user(client, admin_page):
    created = client.post("/admin/users", data={"username": "nadia", "role": "writer", "csrf_token": admin_page})
    password = re.search(r"Password for <strong>nadia</strong>: <code>([^<]+)</code>", created.text).group(1)
    headers = sign_in(client, "nadia", password)
    client.post("/admin/users/nadia/role", data={"role": "support", "csrf_token": admin_page})
    assert client.get("/api/v1/auth/validate", headers=headers).json()["data"]["user"]["role"] == "support"
    ended = client.post("/admin/users/nadia/sessions/end", data={"csrf_token": admin_page})
    assert "nadia signed out everywhere" in ended.text
    assert client.get("/api/v1/auth/validate", headers=headers).status_code == 401
    reset = client.post("/admin/users/nadia/reset-password", data={"csrf_token": admin_page})
    new_password = re.search(r"<code>([^<]+)</code>", reset.text).group(1)
    assert new_password != password and sign_in(client, "nadia", new_password)
    disabled = client.post("/admin/users/nadia/active", data={"active": "false", "csrf_token": admin_page})
    assert "nadia disabled" in disabled.text
    refused = client.post("/admin/users/admin/role", data={"role": "writer", "csrf_token": admin_page})
    assert "last active admin" in refused.text


def test_the_account_page_changes_the_password_and_lists_sessions(client, admin_page, admin_password):
    page = client.get("/account")
    assert "Your sessions" in page.text and "this session" in page.text
    changed = client.post(
        "/account/password",
        data={"current_password": admin_password, "new_password": "correct horse battery", "csrf_token": admin_page},
    )
    assert "Password changed" in changed.text
    assert sign_in(client, "admin", "correct horse battery")
    weak = client.post(
        "/account/password",
        data={"current_password": "correct horse battery", "new_password": " " * 14, "csrf_token": admin_page},
    )
    assert "blank" in weak.text
