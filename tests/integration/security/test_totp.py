"""Two-step sign-in for operators and admins: enrol, sign in with a code, recovery codes work once."""

from __future__ import annotations

import time

import pyotp
import pytest

from tests.support.helpers import create_user, make_settings


@pytest.fixture
def settings(tmp_path, sqlite_url):
    return make_settings(tmp_path, sqlite_url)


def login(client, password, otp=None):
    body = {"username": "admin", "password": password} | ({"otp": otp} if otp else {})
    return client.post("/api/v1/auth/login", json=body)


def test_an_admin_turns_on_two_step_sign_in_and_then_needs_a_code(client, admin_headers, admin_password):
    started = client.post("/api/v1/account/totp", headers=admin_headers).json()["data"]
    assert started["otpauth_uri"].startswith("otpauth://totp/")
    secret = pyotp.TOTP(started["secret"])
    valid = {secret.at(time.time() + drift) for drift in (-30, 0, 30)}
    wrong = next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)
    assert client.post("/api/v1/account/totp/confirm", headers=admin_headers, json={"code": wrong}).status_code == 422
    first_code = secret.now()
    confirmed = client.post("/api/v1/account/totp/confirm", headers=admin_headers, json={"code": first_code})
    codes = confirmed.json()["data"]["recovery_codes"]
    assert len(codes) == 10

    without = login(client, admin_password)
    assert without.status_code == 401 and without.json()["errors"][0]["code"] == "otp_required"
    assert login(client, admin_password, "12345x").status_code == 401
    assert login(client, admin_password, first_code).status_code == 401  # used once to confirm: not again
    assert login(client, admin_password, codes[0]).status_code == 200  # a recovery code works once
    assert login(client, admin_password, codes[0]).status_code == 401
    assert login(client, "wrong-password-here", codes[1]).status_code == 401


@pytest.mark.parametrize("code", ["¹²³⁴⁵⁶", "١٢٣٤٥٦", "１２３４５６"])
def test_a_code_of_digits_from_other_scripts_is_refused_in_words(client, admin_headers, admin_password, code):
    client.post("/api/v1/account/totp", headers=admin_headers)
    refused = client.post("/api/v1/account/totp/confirm", headers=admin_headers, json={"code": code})
    assert refused.status_code == 422 and refused.json()["errors"]


def test_writers_cannot_enrol(client, admin_headers):
    writer = create_user(client, admin_headers, "plain")
    assert client.post("/api/v1/account/totp", headers=writer).status_code == 403  # the route needs an operator
