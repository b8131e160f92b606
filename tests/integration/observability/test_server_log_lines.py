"""`memo-coach serve` as an operator runs it: every line on stderr is JSON (uvicorn's own too), and
a PDF download does not flood the log with fontTools' INFO lines."""

from __future__ import annotations

import json

import httpx
from bench.server import app_server

from memo_coach.web.deps import SESSION_COOKIE


def test_the_server_writes_only_json_lines_and_no_font_chatter(tmp_path):
    log = tmp_path / "serve.stderr"
    with (
        app_server(tmp_path / "data", workers=1, stderr_to=log) as (base, password, _pid),
        httpx.Client(base_url=base, timeout=60) as client,
    ):
        login = client.post("/api/v1/auth/login", json={"username": "admin", "password": password})
        token = login.json()["data"]["session_token"]
        memo = "Subject: Café desk\n\nWe request €48,000 by 15 June for a walk-in desk (Zürich, 東京)."
        submitted = client.post(
            "/api/v1/evaluations/submit", json={"text_content": memo}, headers={"X-Session-Token": token}
        )
        evaluation_id = submitted.json()["data"]["id"]
        client.cookies.set(SESSION_COOKIE, token)
        pdf = client.get(f"/evaluations/{evaluation_id}/pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    lines = log.read_text(encoding="utf-8").splitlines()
    plain = [line for line in lines if not line.startswith("{")]
    assert plain == [], f"plain lines in the JSON log: {plain[:3]}"
    records = [json.loads(line) for line in lines]
    assert any(r["logger"].startswith("uvicorn") for r in records)  # uvicorn's own lines, as JSON
    assert [r["message"] for r in records if r["logger"].startswith("fontTools")] == []
