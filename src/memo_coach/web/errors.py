"""One error handler: the envelope for the API, words on a page for the HTML routes, never a bare 500."""

from __future__ import annotations

import logging
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from memo_coach.config_store.loader import ConfigError
from memo_coach.errors import AppError
from memo_coach.web.deps import is_api
from memo_coach.web.envelope import error_item, failed

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}
_VALIDATION_CODES = {"missing": "missing_field", "extra_forbidden": "unknown_field", "json_invalid": "invalid_json"}


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


def respond(request: Request, status: int, items: list[dict], headers: dict | None = None):
    """The envelope for the API; for pages, a sign-in redirect or an error page in words."""
    if is_api(request):
        return failed(status, items, headers)
    # A client that sent credentials itself (a scraper's bearer token) gets the 401 it can alert on, not
    # a redirect to the sign-in page meant for people.
    if status == 401 and "authorization" not in request.headers:
        return RedirectResponse(f"/login?next={quote(_return_path(request))}", status_code=303)
    from memo_coach.web.pages.render import render

    return render(request, "error.html", status=status, errors=items, status_code=status)


async def on_validation_error(request: Request, exc: RequestValidationError):
    items = [_validation_item(e) for e in exc.errors()]
    status = 400 if any(i["code"] == "invalid_json" for i in items) else 422
    return respond(request, status, items)


async def on_app_error(request: Request, exc: AppError):
    headers = {"Retry-After": str(exc.retry_after)} if hasattr(exc, "retry_after") else None
    return respond(request, exc.status, [error_item(exc.code, exc.message, exc.field, exc.details)], headers)


async def on_config_error(request: Request, exc: ConfigError):
    """A refused configuration: one error per problem, each naming file, line, column, field and layer."""
    items = [
        error_item("invalid_config", str(p), p.field or None, {k: v for k, v in p.to_dict().items() if k != "text"})
        for p in exc.problems
    ]
    return respond(request, 422, items)


async def on_http_error(request: Request, exc: StarletteHTTPException):
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    if exc.status_code == 400 and "parsing the body" in message:
        message, code = "the body could not be decoded: it must be UTF-8 JSON", "invalid_body"
    return respond(request, exc.status_code, [error_item(code, message)], getattr(exc, "headers", None))


async def on_unexpected(request: Request, exc: Exception):
    log.exception("unhandled error", exc_info=exc)
    return failed(
        500, [error_item("internal_error", "something went wrong on our side; the request id helps us find it")]
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(AppError, on_app_error)
    app.add_exception_handler(ConfigError, on_config_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
