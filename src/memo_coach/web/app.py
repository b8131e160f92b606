"""create_app(): the web door over one runtime (runtime.py): middleware and routers; nothing runs at import."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from memo_coach import __version__, malloc
from memo_coach.observability.logs import configure_logging
from memo_coach.runtime import Purpose, Runtime
from memo_coach.security.file_modes import file_mode_findings
from memo_coach.settings import Settings, get_settings, make_files_private
from memo_coach.web import errors
from memo_coach.web.api import (
    account,
    audit,
    auth,
    config,
    docs,
    evaluations,
    feedback,
    health,
    maintenance,
    metrics,
    ops,
    security,
    users,
)
from memo_coach.web.api import incidents as incidents_api
from memo_coach.web.api import support as support_api
from memo_coach.web.api import support_ops as support_ops_api
from memo_coach.web.deps import runtime_of
from memo_coach.web.instrumentation import InstrumentationMiddleware
from memo_coach.web.maintenance_guard import guard_writes
from memo_coach.web.middleware import RequestContextMiddleware
from memo_coach.web.openapi_statuses import declare_statuses
from memo_coach.web.pages import (
    chat_pages,
    config_pages,
    favicon,
    feedback_pages,
    help_pages,
    history_pages,
    incident_pages,
    maintenance_pages,
    memo_pages,
    ops_pages,
    runbook_pages,
    security_pages,
    session_pages,
    status_pages,
    support_pages,
    troubleshooting_pages,
    user_pages,
)
from memo_coach.web.security_headers import SecurityHeadersMiddleware

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
# The pool runs each request's short blocking steps (evaluations have their own admission queue, chat
# questions their own limit). Requests beyond it wait their turn in arrival order (anyio's limiter is
# first come, first served) instead of all running at once and taking turns on the one interpreter
# lock. Measured (`make bench`, throughput suite, 100 connections): 12 threads answered 137-161
# submissions/s with a p99 of 0.9-1.2 s where 40 answered 126-134/s with 1.2-1.6 s; 100 threads cost
# 16 MB more at peak than 40 with 200 writers polling.
THREADPOOL_SIZE = 12


@asynccontextmanager
async def lifespan(app: FastAPI):
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADPOOL_SIZE
    runtime = runtime_of(app)
    runtime.start()
    yield
    runtime.stop()


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """The web door over a runtime: the one given (a test's), or a new one for this process's settings."""
    malloc.limit_arenas()  # before any thread of this process allocates
    runtime = runtime or Runtime(settings or get_settings(), Purpose.WEB)
    settings = runtime.settings
    make_files_private()
    settings.ensure_secret_key()
    app = FastAPI(
        title="Memo AI Coach",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(guard_writes)],  # maintenance covers every write, whichever route
    )
    app.state.runtime = runtime  # read only through web/deps.py:runtime_of
    configure_logging(settings)
    for finding in file_mode_findings(settings):
        log.warning("%s: %s", finding["title"], finding["fix"])
    errors.install(app)
    pages = (session_pages, memo_pages, history_pages, chat_pages, help_pages, config_pages, maintenance_pages, favicon)
    observability = (metrics, ops, feedback, ops_pages, feedback_pages)
    support = (support_api, support_ops_api, support_pages, troubleshooting_pages)
    security_doors = (account, audit, security, security_pages, user_pages)
    for module in (
        health,
        docs,
        auth,
        evaluations,
        users,
        config,
        maintenance,
        *pages,
        *observability,
        *security_doors,
        *support,
    ):
        app.include_router(module.router)
    for module in (incidents_api, incident_pages, runbook_pages, status_pages):
        app.include_router(module.router)
    declare_statuses(app)
    app.mount(docs.ASSETS_URL, StaticFiles(directory=docs.ASSETS_DIR), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if settings.instrumentation:  # added first, so it runs inside the request-id middleware and logs with the id
        app.add_middleware(InstrumentationMiddleware)
    app.add_middleware(SecurityHeadersMiddleware, https=settings.cookie_secure)
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_headers=settings.max_headers,
        body_timeout_seconds=settings.body_timeout_seconds,
    )
    return app
