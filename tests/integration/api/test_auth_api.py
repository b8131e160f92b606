"""Sign-in, sessions and lockout through the API."""

from tests.support.helpers import create_user, sign_in


def test_it_signs_in_and_validates_the_session(client, admin_password):
    headers = sign_in(client, "admin", admin_password)
    body = client.get("/api/v1/auth/validate", headers=headers).json()
    assert body["data"]["user"] == {"id": 1, "username": "admin", "role": "admin"}
    assert body["meta"]["request_id"] and body["meta"]["timestamp"].endswith("+00:00")
    assert body["errors"] == []


def test_a_wrong_password_is_refused_in_the_envelope(client, admin_password):
    response = client.post("/api/v1/auth/login", json={"username": "admin", "password": "nope"})
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "unauthenticated"
    assert response.json()["data"] is None


def test_logout_ends_the_session(client, admin_password):
    headers = sign_in(client, "admin", admin_password)
    assert client.post("/api/v1/auth/logout", headers=headers).json()["data"] == {"signed_out": True}
    assert client.get("/api/v1/auth/validate", headers=headers).status_code == 401


def test_an_unknown_token_is_unauthenticated(client):
    response = client.get("/api/v1/auth/validate", headers={"X-Session-Token": "forged"})
    assert response.status_code == 401


def test_the_account_locks_after_repeated_failures_even_with_the_right_password(client, admin_password):
    for _ in range(5):  # auth.yaml: max_failures_per_account 5
        assert client.post("/api/v1/auth/login", json={"username": "admin", "password": "bad"}).status_code == 401
    response = client.post("/api/v1/auth/login", json={"username": "admin", "password": admin_password})
    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "locked_out"
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60


def test_a_client_address_locks_after_failures_across_accounts(client, admin_headers):
    create_user(client, admin_headers, "victim")
    for i in range(20):  # max_failures_per_address 20, spread over many names
        client.post("/api/v1/auth/login", json={"username": f"guess{i}", "password": "bad"})
    response = client.post("/api/v1/auth/login", json={"username": "victim", "password": "pw-victim-long-enough"})
    assert response.status_code == 429


def test_a_disabled_account_loses_its_sessions(client, admin_headers):
    headers = create_user(client, admin_headers, "leaver")
    assert client.patch("/api/v1/users/leaver", headers=admin_headers, json={"is_active": False}).status_code == 200
    assert client.get("/api/v1/auth/validate", headers=headers).status_code == 401
