"""What schema fuzzing found: Allow on a 405 names every method of the path, request bodies take no loosely
typed values, and a caller without the route's role hears 401 or 403 before 413."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import compile_path

from tests.support.helpers import sign_in

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_405_lists_the_methods_the_path_really_has(client):
    paths = client.get("/openapi.json").json()["paths"]
    templates = [(compile_path(t)[0], {m.upper() for m in ops}) for t, ops in paths.items()]
    by_path: dict[str, set[str]] = {}
    for template in paths:  # a concrete path may match more than one template (/evaluations/submit, /{id})
        path = concrete(template)
        by_path[path] = set().union(*(methods for regex, methods in templates if regex.match(path)))
    checked = 0
    for path, methods in by_path.items():
        for method in sorted(set(METHODS) - methods)[:2]:
            response = client.request(method, path)
            assert response.status_code == 405, (method, path, response.status_code)
            assert response.headers["allow"] == ", ".join(sorted(methods)), (method, path)
            checked += 1
    assert checked > 100
    # Two routes share /api/v1/incidents: Starlette's own answer named only the first one's GET.
    assert client.delete("/api/v1/incidents").headers["allow"] == "GET, POST"
    assert client.post("/static/ops.css").headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/incidents/1/notes", {"message": "x", "public": 0}),
        ("POST", "/api/v1/incidents/1/notes", {"message": "x", "public": "true"}),
        ("PATCH", "/api/v1/users/writer1", {"is_active": 1}),
        ("POST", "/api/v1/config/rubric/rollback", {"number": "1", "reason": "x"}),
        ("POST", "/api/v1/config/rubric/rollback", {"number": 1.0, "reason": "x"}),
        ("POST", "/api/v1/telemetry/page-load", {"page": "/", "ms": "12"}),
        (
            "POST",
            "/api/v1/support/tickets",
            {"category": "other", "summary": "s", "description": "d", "include_memo": 0},
        ),
    ],
)
def test_loosely_typed_values_are_refused(client, admin_headers, writer_headers, method, path, body):
    headers = writer_headers if "support" in path or "telemetry" in path else admin_headers
    response = client.request(method, path, headers=headers, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["code"] == "invalid_value"


def _strict_everywhere(schema: dict, strict: bool = False) -> list[str]:
    """Bool, int and float validators in a pydantic core schema that are not strict."""
    strict = strict or bool(schema.get("config", {}).get("strict"))
    loose = (
        [schema["type"]]
        if schema.get("type") in {"bool", "int", "float"} and not (strict or schema.get("strict"))
        else []
    )
    for value in schema.values():
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict):
                loose += _strict_everywhere(child, strict)
    return loose


def test_every_api_request_body_is_strictly_typed(app):
    bodies = {
        c.route.body_field.field_info.annotation
        for c in iter_route_contexts(app.routes)
        if isinstance(c.route, APIRoute) and c.path.startswith("/api/") and c.route.body_field is not None
    }
    assert len(bodies) > 15
    loose = {model.__name__: found for model in bodies if (found := _strict_everywhere(model.__pydantic_core_schema__))}
    assert loose == {}


BIG = b"{" + b" " * (2 * 1024 * 1024) + b"}"


def test_a_caller_without_the_role_hears_401_or_403_before_413(client, admin_headers, writer_headers):
    big = {"content-type": "application/json"}
    stranger = client.post("/api/v1/incidents", content=BIG, headers=big)
    assert stranger.status_code == 401 and stranger.json()["errors"][0]["code"] == "unauthenticated"
    writer = client.post("/api/v1/incidents", content=BIG, headers=big | writer_headers)
    assert writer.status_code == 403 and writer.json()["errors"][0]["code"] == "forbidden"
    admin = client.post("/api/v1/incidents", content=BIG, headers=big | admin_headers)
    assert admin.status_code == 413 and admin.json()["errors"][0]["code"] == "payload_too_large"
    # A public route has no role to check first: its size limit answers.
    assert client.post("/api/v1/auth/login", content=BIG, headers=big).status_code == 413
    # Without Content-Length (chunked), the limit is noticed while reading, with the same order.
    chunks = iter([BIG[: len(BIG) // 2], BIG[len(BIG) // 2 :]])
    assert client.post("/api/v1/incidents", content=chunks, headers=big).status_code == 401


def test_a_page_form_too_large_sends_a_stranger_to_sign_in(client):
    answer = client.post(
        "/ops/incidents",
        content=BIG,
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_an_account_that_must_change_its_password_hears_so_before_413(client, admin_headers):
    created = client.post("/api/v1/users", headers=admin_headers, json={"username": "fresh", "role": "operator"})
    headers = sign_in(client, "fresh", created.json()["data"]["password"])
    answer = client.post("/api/v1/incidents", content=BIG, headers={"content-type": "application/json"} | headers)
    assert answer.status_code == 403 and answer.json()["errors"][0]["code"] == "password_change_required"
