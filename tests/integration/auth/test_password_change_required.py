"""A password someone else chose (a new account, a reset) lets its owner do nothing but choose their own,
sign out and see their sessions: a clear 403 `password_change_required` on the API, the account page on
the pages."""

from __future__ import annotations

from tests.support.helpers import change_own_password, sign_in
from tests.support.pages import form_token

REQUIRED = "password_change_required"


def new_account(client, admin_headers, username: str, role: str = "writer") -> str:
    """An account as an admin makes it: with a generated password, shown once."""
    created = client.post("/api/v1/users", headers=admin_headers, json={"username": username, "role": role})
    assert created.status_code == 201, created.text
    return created.json()["data"]["password"]


def test_the_api_refuses_everything_but_the_password_change_sign_out_and_sessions(client, admin_headers):
    generated = new_account(client, admin_headers, "newbie")
    headers = sign_in(client, "newbie", generated)
    for method, path, body in [
        ("GET", "/api/v1/evaluations", None),
        ("POST", "/api/v1/evaluations/submit", {"text_content": "Subject: A memo\n\nPlease approve the pilot."}),
        ("GET", "/api/v1/account/export", None),
    ]:
        refused = client.request(method, path, headers=headers, json=body)
        assert refused.status_code == 403, (path, refused.text)
        assert refused.json()["errors"][0]["code"] == REQUIRED
        assert "choose your own password" in refused.json()["errors"][0]["message"]
    assert client.get("/api/v1/auth/validate", headers=headers).status_code == 200
    assert client.get("/api/v1/account/sessions", headers=headers).status_code == 200

    change_own_password(client, headers, generated, "pw-newbie-long-enough")
    assert client.get("/api/v1/evaluations", headers=headers).status_code == 200


def test_a_reset_password_must_be_changed_again(client, admin_headers):
    generated = new_account(client, admin_headers, "forgetful")
    change_own_password(client, sign_in(client, "forgetful", generated), generated, "pw-forgetful-long-enough")
    reset = client.post("/api/v1/users/forgetful/reset-password", headers=admin_headers)
    headers = sign_in(client, "forgetful", reset.json()["data"]["password"])
    refused = client.get("/api/v1/evaluations", headers=headers)
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == REQUIRED
    assert client.post("/api/v1/auth/logout", headers=headers).json()["data"] == {"signed_out": True}


def test_pages_send_the_owner_to_the_account_page_until_they_change_it(client, admin_headers):
    generated = new_account(client, admin_headers, "paula", "operator")
    token = form_token(client.get("/login").text)
    signed_in = client.post(
        "/login", data={"username": "paula", "password": generated, "csrf_token": token}, follow_redirects=False
    )
    assert signed_in.status_code == 303
    for page in ("/", "/history", "/ops/incidents"):
        sent = client.get(page, follow_redirects=False)
        assert (sent.status_code, sent.headers["location"]) == (303, "/account"), page
    account = client.get("/account")
    assert account.status_code == 200 and "Your password was set by someone else" in account.text
    changed = client.post(
        "/account/password",
        data={"current_password": generated, "new_password": "pw-paula-long-enough", "csrf_token": token},
    )
    assert changed.status_code == 200
    assert client.get("/ops/incidents", follow_redirects=False).status_code == 200
