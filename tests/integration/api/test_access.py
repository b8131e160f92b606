"""Least privilege: every route declares the role it needs, and each role is walked over every route."""

from dataclasses import dataclass

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from memo_coach.auth.roles import Role
from memo_coach.web.csrf import CSRF_COOKIE, verify_csrf
from memo_coach.web.deps import RoleRequirement
from tests.support.helpers import create_user


def dependency_calls(route) -> list:
    calls, stack = [], [route.dependant]
    while stack:
        dep = stack.pop()
        calls.append(dep.call)
        stack.extend(dep.dependencies)
    return calls


def required_role(route) -> tuple[bool, Role | None]:
    """(declared, role) found by walking the route's dependency tree for a RoleRequirement."""
    found = [c for c in dependency_calls(route) if isinstance(c, RoleRequirement)]
    return (True, found[0].role) if found else (False, None)


@dataclass(frozen=True)
class Route:
    path: str
    methods: frozenset[str]
    dependant: object


def app_routes(app) -> list[Route]:
    """Every API and page route with its full path. FastAPI 0.165 keeps included routers nested in
    `app.routes` (as _IncludedRouter), so a plain isinstance filter over it would find no route at all."""
    return [
        Route(c.path, frozenset(c.methods or ()), c.route.dependant)
        for c in iter_route_contexts(app.routes)
        if isinstance(c.route, APIRoute)
    ]


def test_the_walk_sees_the_included_routes(app):
    paths = {r.path for r in app_routes(app)}
    assert {"/api/v1/evaluations/{evaluation_id}", "/login", "/health/ready"} <= paths


def concrete_path(path: str) -> str:
    for name, value in {
        "{evaluation_id}": "999999",
        "{memo_id}": "999999",
        "{username}": "nobody-here",
        "{name}": "rubric",
        "{number}": "999999",
        "{proposal_id}": "999999",
        "{run_id}": "999999",
        "{archive_id}": "999999",
        "{window_id}": "999999",
        "{task}": "nobody-here",
        "{backup_id}": "nobody-here",
        "{component}": "database",
        "{chart}": "latency_p95_s",
        "{series_name}": "latency_p95_s",
        "{ticket_id}": "999999",
    }.items():
        path = path.replace(name, value)
    return path


def is_page(path: str) -> bool:
    return not path.startswith("/api/")


def test_every_route_declares_its_role(app):
    undeclared = [r.path for r in app_routes(app) if not required_role(r)[0]]
    assert undeclared == []


def test_every_form_post_checks_csrf(app):
    unprotected = [
        r.path
        for r in app_routes(app)
        if is_page(r.path) and "POST" in r.methods and verify_csrf not in dependency_calls(r)
    ]
    assert unprotected == []


def call(client, method, path, headers=None):
    """One request, redirects not followed (a sign-in redirect is the answer under test)."""
    if is_page(path) and method == "POST":
        form = {"csrf_token": client.cookies.get(CSRF_COOKIE)}
        return client.request(method, path, headers=headers, data=form, follow_redirects=False)
    return client.request(method, path, headers=headers, json={}, follow_redirects=False)


def test_each_role_is_let_in_exactly_where_it_should_be(client, app, admin_headers):
    client.get("/login")  # sets the CSRF cookie the form posts need
    headers = {
        role: create_user(client, admin_headers, f"{role.value}-user", role.value)
        for role in Role
        if role != Role.admin
    }
    headers[Role.admin] = admin_headers
    # Signing out ends the caller's own session, so those routes are walked last.
    for route in sorted(app_routes(app), key=lambda r: r.path.endswith("/logout")):
        _, needed = required_role(route)
        if needed is None:
            continue
        for method in route.methods:
            path = concrete_path(route.path)
            anonymous = call(client, method, path)
            assert anonymous.status_code == (303 if is_page(path) else 401), (method, path)
            for role, hdrs in headers.items():
                status = call(client, method, path, hdrs).status_code
                if role.includes(needed):
                    assert status != 403, (method, path, role)
                else:
                    assert status == 403, (method, path, role, status)


@pytest.mark.parametrize("path", ["/health", "/openapi.json", "/docs", "/login", "/static/app.css"])
def test_public_pages_need_no_session(client, path):
    assert client.get(path).status_code == 200
