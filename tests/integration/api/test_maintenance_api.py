"""Maintenance mode through the API: writers get 503 with Retry-After, operators carry on; the ops routes."""

from __future__ import annotations

import time
from datetime import timedelta

from memo_coach.db.base import utcnow
from tests.support.helpers import create_user

MEMO = "We request $40,000 by May 1 to replace the failing build servers. Approve the purchase by Friday."


def test_during_maintenance_writers_get_503_with_retry_after_and_operators_pass(client, admin_headers, writer_headers):
    operator = create_user(client, admin_headers, "oscar", "operator")
    until = (utcnow() + timedelta(minutes=10)).isoformat()
    on = client.post(
        "/api/v1/ops/maintenance/on", headers=operator, json={"message": "upgrading the database", "until": until}
    )
    assert on.status_code == 201, on.text

    refused = client.post("/api/v1/evaluations/submit", headers=writer_headers, json={"text_content": MEMO})
    assert refused.status_code == 503
    assert 590 <= int(refused.headers["Retry-After"]) <= 600
    error = refused.json()["errors"][0]
    assert error["code"] == "maintenance" and "upgrading the database" in error["message"]

    assert client.post("/api/v1/evaluations/submit", headers=operator, json={"text_content": MEMO}).status_code == 201
    notice = client.get("/api/v1/maintenance").json()["data"]
    assert notice["now"]["active"] and notice["now"]["message"] == "upgrading the database"

    assert client.post("/api/v1/ops/maintenance/off", headers=operator).json()["data"]["windows_ended"] == 1
    assert (
        client.post("/api/v1/evaluations/submit", headers=writer_headers, json={"text_content": MEMO}).status_code
        == 201
    )


def test_a_window_planned_ahead_is_listed_but_not_in_force(client, admin_headers, writer_headers):
    starts = utcnow() + timedelta(days=2)
    body = {
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(),
        "message": "OS patches",
    }
    assert client.post("/api/v1/ops/maintenance/windows", headers=admin_headers, json=body).status_code == 201
    notice = client.get("/api/v1/maintenance").json()["data"]
    assert not notice["now"]["active"]
    assert [w["message"] for w in notice["windows"]] == ["OS patches"]
    assert (
        client.post("/api/v1/evaluations/submit", headers=writer_headers, json={"text_content": MEMO}).status_code
        == 201
    )


def test_a_window_that_ends_before_it_starts_is_refused_with_the_field(client, admin_headers):
    now = utcnow()
    body = {"starts_at": now.isoformat(), "ends_at": (now - timedelta(hours=1)).isoformat(), "message": "x"}
    response = client.post("/api/v1/ops/maintenance/windows", headers=admin_headers, json=body)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "ends_at"


def test_operators_see_the_schedule_run_a_task_now_and_read_its_record(client, admin_headers):
    tasks = client.get("/api/v1/ops/tasks", headers=admin_headers).json()["data"]
    backup = next(t for t in tasks if t["task"] == "backup")
    assert backup["cron"] and len(backup["upcoming"]) == 3
    started = client.post("/api/v1/ops/tasks/session_purge/run", headers=admin_headers)
    assert started.status_code == 202
    run_id = started.json()["data"]["run_id"]
    for _ in range(100):
        run = client.get(f"/api/v1/ops/tasks/runs/{run_id}", headers=admin_headers).json()["data"]
        if run["status"] != "running":
            break
        time.sleep(0.05)
    assert (run["status"], run["trigger"], run["actor"]) == ("succeeded", "operator", "admin")
    history = client.get("/api/v1/ops/tasks/runs?task=session_purge", headers=admin_headers).json()["data"]
    assert [r["id"] for r in history] == [run_id]
    assert client.post("/api/v1/ops/tasks/no_such_task/run", headers=admin_headers).status_code == 404


def test_the_maintenance_health_route_shows_scheduler_and_backups(client, admin_headers):
    components = client.get("/api/v1/ops/maintenance/health", headers=admin_headers).json()["data"]
    by_name = {c["name"]: c for c in components}
    assert set(by_name) == {"scheduler", "backups"}
    assert by_name["backups"]["status"] == "degraded"  # nothing verified yet on a new install


def test_maintenance_refuses_every_write_of_writers_not_only_submissions(client, admin_headers, writer_headers):
    done = client.post("/api/v1/evaluations/submit", headers=writer_headers, json={"text_content": MEMO}).json()
    ev_id = done["data"]["id"]
    assert (
        client.post("/api/v1/ops/maintenance/on", headers=admin_headers, json={"message": "moving"}).status_code == 201
    )
    rating = client.post(f"/api/v1/evaluations/{ev_id}/rating", headers=writer_headers, json={"helpful": True})
    assert rating.status_code == 503 and rating.headers["Retry-After"] == "300"
    assert client.get(f"/api/v1/evaluations/{ev_id}", headers=writer_headers).status_code == 200  # reads go on


def test_a_restore_window_refuses_every_write_but_the_restoring_operators(client, app, admin_headers, admin_password):
    from memo_coach.db.engine import session_scope
    from memo_coach.maintenance.mode.service import switch_on

    with session_scope(app.state.runtime.sessions) as session:
        switch_on(session, "someone-else", "restoring backup X", exclusive=True)
    refused = [
        client.post("/api/v1/auth/login", json={"username": "admin", "password": admin_password}),
        client.post(
            "/api/v1/users", headers=admin_headers, json={"username": "u2", "role": "writer", "password": "x" * 20}
        ),
        client.post("/api/v1/evaluations/submit", headers=admin_headers, json={"text_content": MEMO}),
        client.post("/api/v1/ops/maintenance/off", headers=admin_headers),
    ]
    assert [r.status_code for r in refused] == [503] * 4
    assert all(r.headers["Retry-After"] and r.json()["errors"][0]["code"] == "maintenance" for r in refused)
    assert client.get("/api/v1/evaluations", headers=admin_headers).status_code == 200


def test_the_restoring_operator_may_still_write_during_their_restore(client, app, admin_headers):
    from memo_coach.db.engine import session_scope
    from memo_coach.maintenance.mode.service import switch_on

    with session_scope(app.state.runtime.sessions) as session:
        switch_on(session, "admin", "restoring backup X", exclusive=True)
    assert (
        client.post("/api/v1/evaluations/submit", headers=admin_headers, json={"text_content": MEMO}).status_code == 201
    )
