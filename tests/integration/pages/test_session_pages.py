"""Signing in and out through the pages, with the cookie session and CSRF protection."""

import re

from memo_coach.web.csrf import CSRF_COOKIE


def form_token(page_html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_html).group(1)


def sign_in_form(client, username, password, next_path="/"):
    token = form_token(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": next_path},
        follow_redirects=False,
    )


def test_a_page_sends_the_signed_out_visitor_to_sign_in(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/"


def test_signing_in_sets_an_httponly_cookie_and_signing_out_clears_it(client, admin_password):
    response = sign_in_form(client, "admin", admin_password)
    assert response.status_code == 303
    assert "httponly" in response.headers["set-cookie"].lower()
    assert "Submit a memo" in client.get("/").text
    token = form_token(client.get("/").text)
    signed_out = client.post("/logout", data={"csrf_token": token})
    assert "You are signed out." in signed_out.text  # said, not left to guess
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_wrong_password_is_explained_on_the_page(client, admin_password):
    response = sign_in_form(client, "admin", "wrong")
    assert response.status_code == 401 and "wrong username or password" in response.text


def test_lockout_is_explained_on_the_page(client, admin_password):
    for _ in range(5):
        sign_in_form(client, "admin", "wrong")
    response = sign_in_form(client, "admin", admin_password)
    assert response.status_code == 429 and re.search(r"try again in \d+ minutes?", response.text)


def test_a_form_without_the_csrf_token_is_refused(client, admin_password):
    client.get("/login")
    response = client.post("/login", data={"username": "admin", "password": admin_password})
    assert response.status_code == 403 and "reload the page" in response.text


def test_a_forged_csrf_cookie_is_refused(client, admin_password):
    client.cookies.set(CSRF_COOKIE, "forged.value")
    response = client.post(
        "/login", data={"username": "admin", "password": admin_password, "csrf_token": "forged.value"}
    )
    assert response.status_code == 403


def test_a_csrf_token_with_characters_beyond_ascii_is_refused_not_a_crash(client, admin_password):
    client.get("/login")  # a valid cookie; the form's field is not it
    response = client.post("/login", data={"username": "admin", "password": admin_password, "csrf_token": "é.ü"})
    assert response.status_code == 403 and "reload the page" in response.text
    client.cookies.clear()
    cookie = f"{CSRF_COOKIE}=n\u00f6nce.sig".encode("latin-1")  # a header may carry any Latin-1 byte
    response = client.post(
        "/login", data={"username": "admin", "password": admin_password, "csrf_token": "x"}, headers={"cookie": cookie}
    )
    assert response.status_code == 403


def test_next_never_leaves_the_site(client, admin_password):
    response = sign_in_form(client, "admin", admin_password, next_path="https://evil.example/")
    assert response.headers["location"] == "/"
