"""Least privilege: every route declares the role it needs, and each role is walked over every route."""

import pytest
from fastapi.routing import APIRoute
from tests.support.helpers import create_user

from memo_coach.auth.roles import Role
from memo_coach.web.deps import RoleRequirement


def required_role(route: APIRoute) -> tuple[bool, Role | None]:
    """(declared, role) found by walking the route's dependency tree for a RoleRequirement."""
    stack = [route.dependant]
    while stack:
        dep = stack.pop()
        if isinstance(dep.call, RoleRequirement):
            return True, dep.call.role
        stack.extend(dep.dependencies)
    return False, None


def api_routes(app):
    return [r for r in app.routes if isinstance(r, APIRoute)]


def concrete_path(path: str) -> str:
    for name, value in {
        "{evaluation_id}": "999999",
        "{username}": "nobody-here",
        "{name}": "rubric",
        "{number}": "999999",
        "{proposal_id}": "999999",
    }.items():
        path = path.replace(name, value)
    return path


def test_every_route_declares_its_role(app):
    undeclared = [r.path for r in api_routes(app) if not required_role(r)[0]]
    assert undeclared == []


def test_each_role_is_let_in_exactly_where_it_should_be(client, app, admin_headers):
    headers = {
        role: create_user(client, admin_headers, f"{role.value}-user", role.value)
        for role in Role
        if role != Role.admin
    }
    headers[Role.admin] = admin_headers
    # Signing out ends the caller's own session, so it is walked last.
    for route in sorted(api_routes(app), key=lambda r: r.path.endswith("/logout")):
        _, needed = required_role(route)
        if needed is None:
            continue
        for method in route.methods:
            path = concrete_path(route.path)
            anonymous = client.request(method, path, json={})
            assert anonymous.status_code == 401, (method, path)
            for role, hdrs in headers.items():
                status = client.request(method, path, headers=hdrs, json={}).status_code
                if role.includes(needed):
                    assert status != 403, (method, path, role)
                else:
                    assert status == 403, (method, path, role, status)


@pytest.mark.parametrize("path", ["/health", "/openapi.json", "/docs"])
def test_public_pages_need_no_session(client, path):
    assert client.get(path).status_code == 200
