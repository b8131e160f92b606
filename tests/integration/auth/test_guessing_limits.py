"""Issue 24, sign-in and guessing limits, through the real app on SQLite and PostgreSQL: a stranger
cannot keep an owner out, while guessing a password (at sign-in or with a stolen session) stays throttled."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.helpers import create_user, sign_in
from tests.support.pages import form_token

STRANGER = ("203.0.113.5", 4000)
OWNER = ("198.51.100.7", 4000)
WRONG = {"username": "admin", "password": "not-the-password"}
STRONG = "lantern orchard quietly ferments copper rain"


def test_a_stranger_hammering_admin_never_keeps_the_real_admin_out(app, admin_password):
    stranger, owner = TestClient(app, client=STRANGER), TestClient(app, client=OWNER)
    right = {"username": "admin", "password": admin_password}
    refusals, owner_statuses = [], []
    for attempt in range(40):  # main refused the owner once 10 of these had been sent
        refusals.append(stranger.post("/api/v1/auth/login", json=WRONG).json()["errors"][0]["code"])
        if attempt % 4 == 3:
            owner_statuses.append(owner.post("/api/v1/auth/login", json=right).status_code)
    assert owner_statuses == [200] * 10
    # The stranger is throttled all along: five guesses, then locked; the lockout's refusals count
    # as failures too, so from the tenth on it is refused before any password is looked at.
    assert refusals[:5] == ["unauthenticated"] * 5
    assert refusals[5:10] == ["locked_out"] * 5 and set(refusals[10:]) == {"rate_limited"}
    refused = stranger.post("/api/v1/auth/login", json=right)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "failed sign-ins for this account from this address" in refused.json()["errors"][0]["message"]


def test_many_strangers_on_many_addresses_cannot_keep_the_owner_out(app, admin_password):
    for n in range(15):  # 60 failures for admin, four from each address
        stranger = TestClient(app, client=(f"203.0.113.{n + 10}", 4000))
        for _ in range(4):
            assert stranger.post("/api/v1/auth/login", json=WRONG).status_code == 401
    owner = TestClient(app, client=OWNER)
    assert owner.post("/api/v1/auth/login", json={"username": "admin", "password": admin_password}).status_code == 200


def test_an_address_guessing_across_accounts_is_refused_before_the_password_is_checked(app, admin_password):
    stranger = TestClient(app, client=STRANGER)
    codes = [
        stranger.post("/api/v1/auth/login", json={"username": f"guess{i}", "password": "x"}).json()["errors"][0]["code"]
        for i in range(31)
    ]
    assert codes[:20] == ["unauthenticated"] * 20 and codes[-1] == "rate_limited"  # per_client 30 failures
    owner = TestClient(app, client=OWNER)
    assert owner.post("/api/v1/auth/login", json={"username": "admin", "password": admin_password}).status_code == 200


def test_the_sign_in_page_lets_the_owner_in_while_a_stranger_hammers_it(app, admin_password):
    stranger, owner = TestClient(app, client=STRANGER), TestClient(app, client=OWNER)
    stranger_token = form_token(stranger.get("/login").text)
    for _ in range(15):
        wrong = stranger.post("/login", data={**WRONG, "csrf_token": stranger_token}, follow_redirects=False)
    assert wrong.status_code == 429 and "too many failed sign-ins" in wrong.text
    owner_token = form_token(owner.get("/login").text)
    right = {"username": "admin", "password": admin_password, "csrf_token": owner_token}
    assert owner.post("/login", data=right, follow_redirects=False).status_code == 303


def _change(client: TestClient, headers: dict, current: str, new: str = STRONG):
    return client.post(
        "/api/v1/account/password", headers=headers, json={"current_password": current, "new_password": new}
    )


def test_a_stolen_session_cannot_keep_guessing_the_current_password(client, admin_headers):
    stolen = create_user(client, admin_headers, "writer-a")
    for _ in range(5):  # password_check: 5 wrong per session
        assert _change(client, stolen, "guess").status_code == 422
    refused = _change(client, stolen, "pw-writer-a-long-enough")  # even the right one, from this session
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    error = refused.json()["errors"][0]
    assert error["code"] == "rate_limited" and "wrong passwords from this session" in error["message"]
    assert refused.json()["data"] is None
    # The owner, signed in afresh, changes the password, which ends the stolen session.
    owner = sign_in(client, "writer-a", "pw-writer-a-long-enough")
    assert _change(client, owner, "pw-writer-a-long-enough").status_code == 200
    assert client.get("/api/v1/auth/validate", headers=stolen).status_code == 401


def test_the_account_count_refuses_sessions_that_guessed_but_spares_a_clean_one(client, admin_headers):
    create_user(client, admin_headers, "writer-b")
    stolen = [sign_in(client, "writer-b", "pw-writer-b-long-enough") for _ in range(3)]
    for headers in stolen[:2]:
        for _ in range(5):
            assert _change(client, headers, "guess").status_code == 422
    assert _change(client, stolen[2], "guess").status_code == 422  # the account is at 10: a fresh session guesses once
    refused = _change(client, stolen[2], "guess")
    assert refused.status_code == 429 and "for this account" in refused.json()["errors"][0]["message"]
    owner = sign_in(client, "writer-b", "pw-writer-b-long-enough")
    assert _change(client, owner, "pw-writer-b-long-enough").status_code == 200


def test_a_refused_new_password_is_not_a_wrong_guess(client, admin_headers):
    headers = create_user(client, admin_headers, "writer-c")
    for _ in range(8):
        assert _change(client, headers, "pw-writer-c-long-enough", new="short").status_code == 422
    assert _change(client, headers, "pw-writer-c-long-enough").status_code == 200


def test_turning_two_step_off_shares_the_password_guess_limit(client, admin_headers):
    headers = create_user(client, admin_headers, "ops-a", "operator")
    assert _change(client, headers, "pw-ops-a-long-enough").status_code == 200
    for _ in range(3):
        assert _change(client, headers, "guess").status_code == 422
    for _ in range(2):
        wrong = client.post("/api/v1/account/totp/disable", headers=headers, json={"password": "guess"})
        assert wrong.status_code == 422
    refused = client.post("/api/v1/account/totp/disable", headers=headers, json={"password": STRONG})
    assert refused.status_code == 429 and refused.json()["errors"][0]["code"] == "rate_limited"


def test_the_account_page_says_why_it_refuses(client, admin_headers):
    create_user(client, admin_headers, "ops-b", "operator")
    token = form_token(client.get("/login").text)
    login = {"username": "ops-b", "password": "pw-ops-b-long-enough", "csrf_token": token}
    assert client.post("/login", data=login, follow_redirects=False).status_code == 303
    for _ in range(4):
        client.post(
            "/account/password", data={"current_password": "guess", "new_password": STRONG, "csrf_token": token}
        )
    client.post("/account/totp/disable", data={"password": "guess", "csrf_token": token})
    page = client.post(
        "/account/password",
        data={"current_password": "pw-ops-b-long-enough", "new_password": STRONG, "csrf_token": token},
    )
    assert "too many wrong passwords from this session" in page.text and "Password changed" not in page.text
    page = client.post("/account/totp/disable", data={"password": "pw-ops-b-long-enough", "csrf_token": token})
    assert "too many wrong passwords from this session" in page.text
