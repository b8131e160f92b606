"""Declares in /openapi.json every status a route can answer, so schema fuzzing can act as a gate.

FastAPI declares only the success and 422. The others follow from what a route is: any request can
be malformed (400), too slow (408), too large (413) or carry too many headers (431); a route behind a
role answers 401 and 403; one that names a row or changes state answers 404 and 409; a change can
meet maintenance mode (503) or a full disk (507); a rate-limited route answers 429. Each is the error
envelope.
"""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from memo_coach.web.deps import PublicAccess, role_requirements

ALWAYS = {400, 408, 413, 422, 431}
# What a route's own logic adds: a refused sign-in, rate limits, a bearer token checked by the route.
EXTRA = {
    "/api/v1/auth/login": {401, 429},
    "/api/v1/evaluations/submit": {429, 503},  # 503: the admission queue is full
    "/api/v1/support/tickets": {429},  # opening a ticket is rate-limited
    "/api/v1/account/password": {429},  # wrong current passwords are rate-limited
    "/api/v1/account/totp/disable": {429},
    "/api/v1/alerts/alertmanager": {401},
    "/metrics": {401},
}
ENVELOPE = {
    "type": "object",
    "required": ["data", "meta", "errors"],
    "properties": {
        "data": {},
        "meta": {"type": "object"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "field": {"type": ["string", "null"]},
                    "details": {"type": "object"},
                },
            },
        },
    },
}


def statuses(path: str, method: str, route: APIRoute) -> set[int]:
    found = set(ALWAYS)
    if any(not isinstance(r, PublicAccess) for r in role_requirements(route)):
        found |= {401, 403} if path.startswith("/api/") else {303, 403}  # outside the API: to the sign-in page
    if "{" in path or method != "GET":
        found.add(404)
    if method != "GET":
        found |= {409, 503, 507}
    found |= EXTRA.get(path, set())
    if path.startswith("/health"):
        found.add(503)
    return found


def declare_statuses(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorEnvelope"] = ENVELOPE
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
        for context in iter_route_contexts(app.routes):
            route = context.route
            if not isinstance(route, APIRoute) or not route.include_in_schema:
                continue
            for method in context.methods or ():
                operation = schema["paths"].get(context.path, {}).get(method.lower())
                if operation is None:
                    continue
                for status in sorted(statuses(context.path, method, route)):
                    response = {"description": HTTPStatus(status).phrase, "content": error}
                    operation["responses"].setdefault(str(status), response)
        return schema

    app.openapi = openapi
