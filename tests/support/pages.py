"""Helpers for page tests: signing in through the form, the CSRF token, pointing the app at the fake LLM."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.support.helpers import create_user


def form_token(page_html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_html).group(1)


def sign_in_page(client: TestClient, admin_headers: dict, username: str) -> str:
    """Creates a writer, signs in with the form (cookie session) and returns the CSRF token for later forms."""
    create_user(client, admin_headers, username)
    token = form_token(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": f"pw-{username}-long-enough", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return token


def submit(client: TestClient, token: str, text: str, memo_id: int | None = None) -> int:
    """Submits like the page's script does; returns the new evaluation's id."""
    data = {"text_content": text, "csrf_token": token} | ({"memo_id": str(memo_id)} if memo_id else {})
    response = client.post("/submit", data=data, headers={"Accept": "application/json"})
    assert response.status_code == 201, response.text
    return response.json()["evaluation_id"]
