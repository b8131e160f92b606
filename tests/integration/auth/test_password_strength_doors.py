"""The strength estimate on the doors where a password is set: an admin creating an account, and the
owner choosing their own; each refusal is a 422 naming the field and the reason."""

from __future__ import annotations

import pytest

from tests.support.helpers import create_user


@pytest.mark.parametrize("password", ["bob@memo-coach", "Bob12345678!", "aaaaaaaaaaab1!"])
def test_an_admin_cannot_give_bob_a_guessable_password(client, admin_headers, password):
    refused = client.post(
        "/api/v1/users", headers=admin_headers, json={"username": "bob", "role": "writer", "password": password}
    )
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert (error["code"], error["field"]) == ("invalid_input", "password")
    assert "too easy to guess" in error["message"]
    assert password not in error["message"]  # the reason, never the password itself


def test_the_owner_cannot_choose_one_built_on_their_name_but_a_passphrase_will_do(client, admin_headers):
    headers = create_user(client, admin_headers, "bob")
    body = {"current_password": "pw-bob-long-enough", "new_password": "Bob12345678!"}
    refused = client.post("/api/v1/account/password", headers=headers, json=body)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "new_password"
    assert "your username" in refused.json()["errors"][0]["message"]
    body["new_password"] = "lantern orchard velvet tundra"
    assert client.post("/api/v1/account/password", headers=headers, json=body).status_code == 200
