"""One error handler: the envelope for the API, words on a page for the HTML routes, never a bare 500."""

from __future__ import annotations

import logging
from urllib.parse import quote, urlsplit

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from memo_coach.auth.roles import PASSWORD_CHANGE_REQUIRED
from memo_coach.config_store.loader import ConfigError
from memo_coach.db.storage import is_storage_full
from memo_coach.errors import AppError, StorageFull
from memo_coach.observability.logs import request_id_var
from memo_coach.web.deps import is_api, role_requirements
from memo_coach.web.envelope import error_item, failed

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "payload_too_large",
    415: "unsupported_media_type",
}
_VALIDATION_CODES = {"missing": "missing_field", "extra_forbidden": "unknown_field", "json_invalid": "invalid_json"}
CHANGE_PASSWORD_PAGE = "/account"
STATIC_METHODS = {"GET", "HEAD"}  # what the two mounts (static files, the API docs' assets) answer


def _field(loc: tuple) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or None


def _validation_item(err: dict) -> dict:
    code = _VALIDATION_CODES.get(err["type"], "invalid_value")
    message = err["msg"].removeprefix("Value error, ")
    if code == "invalid_json":
        message = f"the body is not valid JSON: {err.get('ctx', {}).get('error', 'parse error')}"
    return error_item(code, message, _field(err["loc"]))


def _return_path(request: Request) -> str:
    """Where to come back after signing in: the page itself, or for a form post (which cannot be
    replayed by a GET) the page the form was on."""
    if request.method == "GET":
        return request.url.path
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = referer.netloc == request.url.netloc and referer.path.startswith("/")
    return referer.path if same_site else "/"


# Machine endpoints outside /api/ (probes, the scraper) answer errors in the envelope too; signed out,
# they send to the sign-in page like every page (an operator opens them in a browser).
MACHINE_PATHS = ("/health", "/metrics")


def respond(request: Request, status: int, items: list[dict], headers: dict | None = None):
    """The envelope for the API; for pages, a sign-in redirect or an error page in words."""
    if is_api(request) or (request.url.path.startswith(MACHINE_PATHS) and status != 401):
        return failed(status, items, headers)
    # A client that sent credentials itself (a scraper's bearer token) gets the 401 it can alert on, not
    # a redirect to the sign-in page meant for people.
    if status == 401 and "authorization" not in request.headers:
        return RedirectResponse(f"/login?next={quote(_return_path(request))}", status_code=303)
    from memo_coach.web.pages.render import render

    response = render(request, "error.html", status=status, errors=items, status_code=status)
    response.headers.update(headers or {})  # Allow on a 405, Retry-After on a 429 or 503
    return response


async def on_validation_error(request: Request, exc: RequestValidationError):
    items = [_validation_item(e) for e in exc.errors()]
    status = 400 if any(i["code"] == "invalid_json" for i in items) else 422
    return respond(request, status, items)


async def on_app_error(request: Request, exc: AppError):
    if exc.code == PASSWORD_CHANGE_REQUIRED and not is_api(request):
        return RedirectResponse(CHANGE_PASSWORD_PAGE, status_code=303)  # where they choose their own
    headers = {"Retry-After": str(exc.retry_after)} if hasattr(exc, "retry_after") else None
    return respond(request, exc.status, [error_item(exc.code, exc.message, exc.field, exc.details)], headers)


async def on_config_error(request: Request, exc: ConfigError):
    """A refused configuration: one error per problem, each naming file, line, column, field and layer."""
    items = [
        error_item("invalid_config", str(p), p.field or None, {k: v for k, v in p.to_dict().items() if k != "text"})
        for p in exc.problems
    ]
    return respond(request, 422, items)


def allowed_methods(request: Request) -> str:
    """Every method some route answers at this path. Starlette's 405 names only the methods of the first
    route whose path matched, and GET and POST of one path are often two routes here."""
    # The app's own scope: a mount the request went through (static files) has moved its root_path.
    root = request.scope.get("app_root_path", request.scope.get("root_path", ""))
    scope = {"type": "http", "method": request.method, "path": request.scope["path"], "root_path": root}
    methods: set[str] = set()
    for context in iter_route_contexts(request.app.routes):
        if context.matches(scope)[0] is not Match.NONE:
            methods |= context.methods or STATIC_METHODS
    return ", ".join(sorted(methods))


async def access_refusal(request: Request) -> AppError | None:
    """The route's access rule, for a request refused before its dependencies ran: FastAPI reads the body
    first, so a body too large is noticed before the role check, and a caller without the role would
    otherwise learn how much the route accepts instead of hearing 401 or 403."""
    route = request.scope.get("route")
    try:
        for requirement in role_requirements(route) if isinstance(route, APIRoute) else []:
            await anyio.to_thread.run_sync(requirement.authorise_request, request)
    except AppError as exc:
        return exc
    return None


async def on_http_error(request: Request, exc: StarletteHTTPException):
    if exc.status_code == 413 and (refusal := await access_refusal(request)):
        return await on_app_error(request, refusal)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 400 and "parsing the body" in message:
        message, code = "the body could not be decoded: it must be UTF-8 JSON", "invalid_body"
    headers = getattr(exc, "headers", None)
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": allowed_methods(request)}
    return respond(request, exc.status_code, [error_item(code, message)], headers)


async def on_storage_error(request: Request, exc: Exception):
    """A full disk is the writer's clear 507 (`storage_full`), on every route; other faults stay 500s."""
    if not is_storage_full(exc):
        return await on_unexpected(request, exc)
    log.error("a write failed: the disk is full", exc_info=exc)
    return await on_app_error(request, StorageFull())


async def on_unexpected(request: Request, exc: Exception):
    """Runs outside the request-id middleware (Starlette's outermost layer), so the id comes from the
    request's own state, and the header is set here."""
    request_id = getattr(request.state, "request_id", None)
    token = request_id_var.set(request_id) if request_id else None
    try:
        log.exception("unhandled error", exc_info=exc)
    finally:
        if token is not None:
            request_id_var.reset(token)
    item = error_item("internal_error", "something went wrong on our side; the request id helps us find it")
    return failed(500, [item], {"X-Request-ID": request_id} if request_id else None, request_id=request_id)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(AppError, on_app_error)
    app.add_exception_handler(ConfigError, on_config_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(OperationalError, on_storage_error)
    app.add_exception_handler(OSError, on_storage_error)
    app.add_exception_handler(Exception, on_unexpected)
