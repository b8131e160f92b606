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


# The route x role matrix: every method and path with the least role it needs ("public" for none).
# A new route fails test_every_route_is_in_the_matrix until it is added here, on purpose, by a person.
ROUTE_ROLES: dict[tuple[str, str], str] = {
    ("GET", "/"): "writer",
    ("GET", "/account"): "writer",
    ("POST", "/account/language"): "writer",
    ("POST", "/account/password"): "writer",
    ("POST", "/account/sessions/{session_id}/revoke"): "writer",
    ("POST", "/account/totp"): "operator",
    ("POST", "/account/totp/confirm"): "operator",
    ("POST", "/account/totp/disable"): "operator",
    ("GET", "/admin/audit"): "admin",
    ("GET", "/admin/config"): "operator",
    ("GET", "/admin/config/export"): "admin",
    ("POST", "/admin/config/import"): "admin",
    ("POST", "/admin/config/proposals/{proposal_id}/approve"): "admin",
    ("POST", "/admin/config/proposals/{proposal_id}/reject"): "admin",
    ("GET", "/admin/config/{name}"): "operator",
    ("GET", "/admin/config/{name}/diff"): "operator",
    ("GET", "/admin/config/{name}/edit"): "admin",
    ("POST", "/admin/config/{name}/edit"): "admin",
    ("POST", "/admin/config/{name}/rollback"): "admin",
    ("GET", "/admin/users"): "admin",
    ("POST", "/admin/users"): "admin",
    ("POST", "/admin/users/approvals/{approval_id}/approve"): "admin",
    ("POST", "/admin/users/{username}/active"): "admin",
    ("POST", "/admin/users/{username}/reset-password"): "admin",
    ("POST", "/admin/users/{username}/role"): "admin",
    ("POST", "/admin/users/{username}/sessions/end"): "admin",
    ("GET", "/api/v1/account"): "writer",
    ("PATCH", "/api/v1/account"): "writer",
    ("POST", "/api/v1/account/erasure"): "writer",
    ("GET", "/api/v1/account/export"): "writer",
    ("POST", "/api/v1/account/password"): "writer",
    ("GET", "/api/v1/account/sessions"): "writer",
    ("DELETE", "/api/v1/account/sessions/{session_id}"): "writer",
    ("POST", "/api/v1/account/totp"): "operator",
    ("POST", "/api/v1/account/totp/confirm"): "operator",
    ("POST", "/api/v1/account/totp/disable"): "operator",
    ("GET", "/api/v1/audit/events"): "admin",
    ("GET", "/api/v1/audit/export"): "admin",
    ("GET", "/api/v1/audit/verify"): "admin",
    ("POST", "/api/v1/auth/login"): "public",
    ("POST", "/api/v1/auth/logout"): "writer",
    ("GET", "/api/v1/auth/validate"): "writer",
    ("GET", "/api/v1/config"): "operator",
    ("GET", "/api/v1/config/export"): "admin",
    ("POST", "/api/v1/config/import"): "admin",
    ("GET", "/api/v1/config/proposals"): "operator",
    ("POST", "/api/v1/config/proposals/{proposal_id}/approve"): "admin",
    ("POST", "/api/v1/config/proposals/{proposal_id}/reject"): "admin",
    ("GET", "/api/v1/config/status"): "operator",
    ("GET", "/api/v1/config/{name}"): "operator",
    ("PUT", "/api/v1/config/{name}"): "admin",
    ("POST", "/api/v1/config/{name}/check"): "admin",
    ("GET", "/api/v1/config/{name}/diff"): "operator",
    ("POST", "/api/v1/config/{name}/rollback"): "admin",
    ("GET", "/api/v1/config/{name}/versions"): "operator",
    ("GET", "/api/v1/config/{name}/versions/{number}"): "operator",
    ("GET", "/api/v1/evaluations"): "writer",
    ("POST", "/api/v1/evaluations/submit"): "writer",
    ("GET", "/api/v1/evaluations/{evaluation_id}"): "writer",
    ("POST", "/api/v1/evaluations/{evaluation_id}/rating"): "writer",
    ("GET", "/api/v1/maintenance"): "public",
    ("GET", "/api/v1/ops/archives"): "operator",
    ("POST", "/api/v1/ops/archives/{archive_id}/restore"): "admin",
    ("GET", "/api/v1/ops/backups"): "operator",
    ("POST", "/api/v1/ops/backups/{backup_id}/verify"): "operator",
    ("GET", "/api/v1/ops/health"): "operator",
    ("GET", "/api/v1/ops/history/{series_name}"): "operator",
    ("GET", "/api/v1/ops/maintenance/health"): "operator",
    ("POST", "/api/v1/ops/maintenance/off"): "operator",
    ("POST", "/api/v1/ops/maintenance/on"): "operator",
    ("POST", "/api/v1/ops/maintenance/windows"): "operator",
    ("DELETE", "/api/v1/ops/maintenance/windows/{window_id}"): "operator",
    ("GET", "/api/v1/ops/overview"): "operator",
    ("GET", "/api/v1/ops/reports/capacity"): "operator",
    ("GET", "/api/v1/ops/reports/degradation"): "operator",
    ("GET", "/api/v1/ops/tasks"): "operator",
    ("GET", "/api/v1/ops/tasks/runs"): "operator",
    ("GET", "/api/v1/ops/tasks/runs/{run_id}"): "operator",
    ("POST", "/api/v1/ops/tasks/{task}/run"): "operator",
    ("GET", "/api/v1/security/access-reviews"): "admin",
    ("POST", "/api/v1/security/access-reviews"): "admin",
    ("GET", "/api/v1/security/access-reviews/{review_id}"): "admin",
    ("POST", "/api/v1/security/access-reviews/{review_id}/sign-off"): "admin",
    ("GET", "/api/v1/security/compliance-report"): "admin",
    ("GET", "/api/v1/security/configuration-review"): "admin",
    ("GET", "/api/v1/security/erasure-requests"): "admin",
    ("POST", "/api/v1/security/erasure-requests/{request_id}/carry-out"): "admin",
    ("POST", "/api/v1/telemetry/page-load"): "writer",
    ("GET", "/api/v1/users"): "admin",
    ("POST", "/api/v1/users"): "admin",
    ("GET", "/api/v1/users/approvals"): "admin",
    ("POST", "/api/v1/users/approvals/{approval_id}/approve"): "admin",
    ("PATCH", "/api/v1/users/{username}"): "admin",
    ("POST", "/api/v1/users/{username}/reset-password"): "admin",
    ("GET", "/docs"): "public",
    ("GET", "/favicon.ico"): "public",
    ("GET", "/evaluations/{evaluation_id}"): "writer",
    ("POST", "/evaluations/{evaluation_id}/chat"): "writer",
    ("GET", "/evaluations/{evaluation_id}/pdf"): "writer",
    ("GET", "/evaluations/{evaluation_id}/progress"): "writer",
    ("POST", "/evaluations/{evaluation_id}/rating"): "writer",
    ("GET", "/health"): "public",
    ("GET", "/health/detailed"): "operator",
    ("GET", "/health/live"): "public",
    ("GET", "/health/ready"): "public",
    ("GET", "/health/{component}"): "operator",
    ("GET", "/help"): "writer",
    ("GET", "/history"): "writer",
    ("GET", "/login"): "public",
    ("POST", "/login"): "public",
    ("POST", "/logout"): "public",
    ("GET", "/memos/{memo_id}/revise"): "writer",
    ("GET", "/metrics"): "operator",
    ("GET", "/ops"): "operator",
    ("GET", "/ops/charts/{chart}.svg"): "operator",
    ("GET", "/ops/maintenance"): "operator",
    ("POST", "/ops/maintenance/mode"): "operator",
    ("POST", "/ops/maintenance/tasks/{task}/run"): "operator",
    ("POST", "/ops/maintenance/windows"): "operator",
    ("POST", "/ops/maintenance/windows/{window_id}/cancel"): "operator",
    ("POST", "/submit"): "writer",
    ("POST", "/telemetry/page-load"): "writer",
    # Incidents: the operators' console and API; the status page is public; Alertmanager's webhook
    # checks its own bearer token (MEMO_COACH_ALERTMANAGER_TOKEN) instead of a session.
    ("GET", "/api/v1/alerts"): "operator",
    ("GET", "/api/v1/incidents"): "operator",
    ("GET", "/api/v1/incidents/stats"): "operator",
    ("GET", "/api/v1/incidents/{incident_id}"): "operator",
    ("GET", "/api/v1/incidents/{incident_id}/review"): "operator",
    ("GET", "/api/v1/incidents/{incident_id}/review.md"): "operator",
    ("GET", "/api/v1/slos"): "operator",
    ("GET", "/api/v1/status"): "public",
    ("GET", "/ops/incidents"): "operator",
    ("GET", "/ops/incidents/{incident_id}"): "operator",
    ("GET", "/ops/runbooks"): "operator",
    ("GET", "/ops/runbooks/{name}"): "operator",
    ("GET", "/status"): "public",
    ("GET", "/status/feed.atom"): "public",
    ("POST", "/api/v1/alerts/alertmanager"): "public",
    ("POST", "/api/v1/alerts/test"): "admin",
    ("POST", "/api/v1/incidents"): "operator",
    ("POST", "/api/v1/incidents/action-items/{item_id}/done"): "operator",
    ("POST", "/api/v1/incidents/{incident_id}/ack"): "operator",
    ("POST", "/api/v1/incidents/{incident_id}/action-items"): "operator",
    ("POST", "/api/v1/incidents/{incident_id}/notes"): "operator",
    ("POST", "/api/v1/incidents/{incident_id}/resolve"): "operator",
    ("POST", "/api/v1/incidents/{incident_id}/reviewed"): "operator",
    ("POST", "/api/v1/incidents/{incident_id}/severity"): "operator",
    ("POST", "/api/v1/incidents/{incident_id}/status"): "operator",
    ("POST", "/api/v1/incidents/{incident_id}/visibility"): "operator",
    ("POST", "/ops/incidents"): "operator",
    ("POST", "/ops/incidents/{incident_id}/act"): "operator",
    ("POST", "/ops/incidents/{incident_id}/action-items"): "operator",
    ("POST", "/ops/incidents/{incident_id}/review"): "operator",
    ("PUT", "/api/v1/incidents/{incident_id}/review"): "operator",
    # Support and troubleshooting: a writer reaches only their own tickets (checked in the service),
    # the queue and reports need the support role; the ops console's JSON feeds need an operator.
    ("GET", "/api/v1/ops/doctor"): "operator",
    ("GET", "/api/v1/ops/logs"): "operator",
    ("GET", "/api/v1/ops/reviews"): "operator",
    ("GET", "/api/v1/ops/reviews/{run_id}"): "operator",
    ("GET", "/api/v1/support/reports"): "support",
    ("GET", "/api/v1/support/tickets"): "writer",
    ("GET", "/api/v1/support/tickets/{ticket_id}"): "writer",
    ("GET", "/ops/charts/{chart}.json"): "operator",
    ("GET", "/ops/doctor"): "operator",
    ("GET", "/ops/logs"): "operator",
    ("GET", "/ops/maintenance/runs/{run_id}.json"): "operator",
    ("GET", "/ops/reviews"): "operator",
    ("GET", "/ops/reviews/{run_id}"): "operator",
    ("GET", "/support/new"): "writer",
    ("GET", "/support/queue"): "support",
    ("GET", "/support/tickets"): "writer",
    ("GET", "/support/tickets/{ticket_id}"): "writer",
    ("POST", "/api/v1/support/tickets"): "writer",
    ("POST", "/api/v1/support/tickets/{ticket_id}/assign"): "support",
    ("POST", "/api/v1/support/tickets/{ticket_id}/rating"): "writer",
    ("POST", "/api/v1/support/tickets/{ticket_id}/replies"): "writer",
    ("POST", "/api/v1/support/tickets/{ticket_id}/status"): "writer",
    ("POST", "/support/tickets"): "writer",
    ("POST", "/support/tickets/{ticket_id}/assign"): "support",
    ("POST", "/support/tickets/{ticket_id}/rating"): "writer",
    ("POST", "/support/tickets/{ticket_id}/reply"): "writer",
    ("POST", "/support/tickets/{ticket_id}/status"): "writer",
}


def route_methods(app) -> dict[tuple[str, str], str]:
    found = {}
    for route in app_routes(app):
        _, role = required_role(route)
        for method in route.methods:
            found[(method, route.path)] = role.value if role else "public"
    return found


def test_every_route_is_in_the_matrix(app):
    declared = route_methods(app)
    missing = sorted(set(declared) - set(ROUTE_ROLES))
    stale = sorted(set(ROUTE_ROLES) - set(declared))
    assert missing == [], "routes without an entry in ROUTE_ROLES"
    assert stale == [], "ROUTE_ROLES entries for routes that no longer exist"
    assert {k: v for k, v in declared.items() if ROUTE_ROLES[k] != v} == {}, "a route's role differs from the matrix"


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
        "{approval_id}": "999999",
        "{session_id}": "999999",
        "{review_id}": "999999",
        "{request_id}": "999999",
        "{incident_id}": "999999",
        "{item_id}": "999999",
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
        for method in route.methods:
            if ROUTE_ROLES[(method, route.path)] == "public":
                continue
            needed = Role(ROUTE_ROLES[(method, route.path)])
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
