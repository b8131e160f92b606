"""Helpers for page tests: signing in through the form, the CSRF token, pointing the app at the fake LLM."""

from __future__ import annotations

import re
import time

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
    """Submits like the page's script does and waits, like the evaluation page, until the evaluation is
    finished; returns its id."""
    data = {"text_content": text, "csrf_token": token} | ({"memo_id": str(memo_id)} if memo_id else {})
    response = client.post("/submit", data=data, headers={"Accept": "application/json"})
    assert response.status_code == 202, response.text
    ev_id = response.json()["evaluation_id"]
    give_up = time.monotonic() + 30
    while (
        client.get(f"/evaluations/{ev_id}/progress", headers={"Accept": "application/json"}).json()["status"]
        == "pending"
    ):
        assert time.monotonic() < give_up, f"evaluation {ev_id} still pending after 30 s"
        time.sleep(0.05)
    return ev_id
