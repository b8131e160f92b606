"""/metrics: who may read it, what it counts, and that Prometheus's own linter accepts it."""

import os
import re
import shutil
import subprocess

import pytest
from pydantic import SecretStr

from tests.support.helpers import create_user

MEMO = "Budget request: we need two analysts because the backlog doubled. Please approve by Friday."


def scrape(client, headers) -> str:
    response = client.get("/metrics", headers=headers, follow_redirects=False)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def test_operators_and_the_bearer_token_may_read_it_and_nobody_else(app, client, admin_headers):
    app.state.runtime.settings.metrics_token = SecretStr("scrape-token-123")
    writer = create_user(client, admin_headers, "w1")
    operator = create_user(client, admin_headers, "op1", "operator")
    assert client.get("/metrics", follow_redirects=False).status_code == 303  # signed out: to the sign-in page
    assert client.get("/metrics", headers=writer, follow_redirects=False).status_code == 403
    # A scraper with a wrong token hears 401, which Prometheus reports; people are sent to sign in.
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}, follow_redirects=False).status_code == 401
    assert "memo_coach_http_requests_total" in scrape(client, operator)
    assert "memo_coach_http_requests_total" in scrape(client, {"Authorization": "Bearer scrape-token-123"})


def test_without_a_configured_token_no_bearer_is_accepted(client):
    assert client.get("/metrics", headers={"Authorization": "Bearer "}, follow_redirects=False).status_code == 401


def test_routes_are_labelled_by_template_never_by_raw_path(client, admin_headers):
    client.get("/api/v1/evaluations/987654321", headers=admin_headers)
    client.get("/no/such/path/31337")
    text = scrape(client, admin_headers)
    assert 'route="/api/v1/evaluations/{evaluation_id}",status="404"' in text
    assert 'route="unmatched"' in text
    # Only label values matter: a sample value (bytes, seconds) may contain those digits by chance.
    routes = set(re.findall(r'route="([^"]*)"', text))
    assert not [r for r in routes if "987654321" in r or "31337" in r]


def test_evaluations_requests_and_resources_are_counted(client, writer_headers, admin_headers):
    before = scrape(client, admin_headers)
    assert (
        client.post("/api/v1/evaluations/submit", headers=writer_headers, json={"text_content": MEMO}).status_code
        == 201
    )
    text = scrape(client, admin_headers)
    line = 'memo_coach_evaluations_total{outcome="completed",provider="offline"}'
    assert value(text, line) == value(before, line) + 1
    assert 'memo_coach_evaluation_duration_seconds_count{outcome="completed",provider="offline"}' in text
    assert (
        'memo_coach_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/api/v1/evaluations/submit",status="201"}'
        in text
    )
    for name in (
        "memo_coach_process_resident_memory_bytes",
        "memo_coach_process_open_fds",
        "memo_coach_disk_free_bytes",
    ):
        assert value(text, name) > 0
    assert value(text, "memo_coach_database_size_bytes") > 0


def value(text: str, prefix: str) -> float:
    lines = [line for line in text.splitlines() if line.startswith(prefix + " ")]
    return float(lines[0].rsplit(" ", 1)[1]) if lines else 0.0


def test_promtool_accepts_the_exposition(client, writer_headers, admin_headers):
    promtool = shutil.which("promtool")
    if promtool is None:
        if os.environ.get("CI") == "true" or os.environ.get("MEMO_COACH_REQUIRE_PROMTOOL") == "1":
            pytest.fail("promtool is required in CI (Debian package prometheus)")
        pytest.skip("promtool not installed (Debian package prometheus)")
    client.post("/api/v1/evaluations/submit", headers=writer_headers, json={"text_content": MEMO})
    client.get("/health/detailed", headers=admin_headers)
    text = scrape(client, admin_headers)
    result = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "" and result.stderr.strip() == ""
