"""Log search: a request id from a writer's error page finds that request's lines in one search."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import select

from memo_coach.auth.models import User
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.support.log_search import LogQuery, search_logs
from tests.support.pages import sign_in_page

LOGS = "/api/v1/ops/logs"


def test_the_request_id_on_an_error_page_finds_its_lines(client, admin_headers):
    sign_in_page(client, admin_headers, "dana")
    page = client.get("/evaluations/424242")  # not the writer's: a 404 page in words, with a reference
    assert page.status_code == 404
    request_id = re.search(r'<code id="request-id">([^<]+)</code>', page.text).group(1)
    assert request_id == page.headers["x-request-id"]
    found = client.get(LOGS, headers=admin_headers, params={"request_id": request_id}).json()["data"]
    assert [(line["route"], line["status"]) for line in found["lines"]] == [("/evaluations/{evaluation_id}", 404)]
    client.cookies.clear()  # the page reads the operator's header, not dana's cookie
    page_link = client.get(f"/ops/logs?request_id={request_id}", headers=admin_headers).text
    assert "/evaluations/{evaluation_id}" in page_link and "1 lines" in page_link


def test_filters_by_level_route_user_and_time(client, app, admin_headers, writer_headers):
    client.get("/api/v1/evaluations/999999", headers=writer_headers)
    client.get("/api/v1/evaluations", headers=writer_headers)
    with session_scope(app.state.runtime.sessions) as session:
        writer_id = session.scalar(select(User.id).where(User.username == "writer1"))
    mine = client.get(LOGS, headers=admin_headers, params={"user_id": writer_id}).json()["data"]["lines"]
    # The writer's first request chose their own password (tests/support/helpers.py: create_user).
    assert {line["route"] for line in mine} == {
        "/api/v1/account/password",
        "/api/v1/evaluations/{evaluation_id}",
        "/api/v1/evaluations",
    }
    routed = client.get(LOGS, headers=admin_headers, params={"route": "/api/v1/evaluations/"}).json()["data"]["lines"]
    assert {line["status"] for line in routed} == {404}
    future = (utcnow() + timedelta(hours=1)).isoformat()
    assert client.get(LOGS, headers=admin_headers, params={"since": future}).json()["data"]["lines"] == []
    assert client.get(LOGS, headers=admin_headers, params={"level": "ERROR"}).json()["data"]["lines"] == []
    limited = client.get(LOGS, headers=admin_headers, params={"limit": 1}).json()["data"]
    assert len(limited["lines"]) == 1 and limited["truncated"] is True


def error_line(request_id: str, minutes_ago: float) -> str:
    at = (utcnow() - timedelta(minutes=minutes_ago)).isoformat()
    return json.dumps({"time": at, "level": "ERROR", "request_id": request_id, "message": "boom"})


def test_rotated_files_are_searched_newest_first(settings):
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True)
    (logs / "app.log.1").write_text(error_line("old", 60) + "\nnot json\n")
    (logs / "app.log").write_text(error_line("new", 1) + "\n")
    found = search_logs(settings, LogQuery(level="error"))
    assert [line["request_id"] for line in found["lines"]] == ["new", "old"]
    assert found["files"] == ["app.log", "app.log.1"]


def test_bad_searches_are_refused_in_words(client, admin_headers, writer_headers):
    naive = client.get(LOGS, headers=admin_headers, params={"since": "2026-12-01T10:00:00"})
    assert naive.status_code == 422 and "offset" in naive.json()["errors"][0]["message"]
    level = client.get(LOGS, headers=admin_headers, params={"level": "LOUD"})
    assert level.status_code == 422 and level.json()["errors"][0]["field"] == "level"
    assert client.get(LOGS, headers=writer_headers).status_code == 403
