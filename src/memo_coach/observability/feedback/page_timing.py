"""Page load times reported by browsers: only a page's route template and a duration, nothing personal.

The page must be one of the app's own GET page routes, so the metric's labels stay bounded.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from memo_coach.errors import InvalidInput
from memo_coach.observability.metrics import PAGE_LOAD, WINDOWS

MAX_LOAD_MS = 120_000


NOT_PAGES = ("/api/", "/health", "/metrics", "/static", "/ops/charts/")


def page_templates(app: FastAPI) -> frozenset[str]:
    """Route templates of the HTML pages (GET), e.g. `/ops` or `/evaluations/{evaluation_id}`.

    FastAPI 0.165 keeps included routers nested in `app.routes`; iter_route_contexts flattens them.
    """
    return frozenset(
        c.path
        for c in iter_route_contexts(app.routes)
        if isinstance(c.route, APIRoute) and "GET" in (c.methods or ()) and not c.path.startswith(NOT_PAGES)
    )


def known_pages(app: FastAPI) -> frozenset[str]:
    """The page templates, computed on first use: walking the routes costs about half a second, which
    start-up (the floor under crash recovery) should not pay."""
    pages = getattr(app.state, "page_templates", None)
    if pages is None:
        pages = app.state.page_templates = page_templates(app)
    return pages


def record_page_load(known_pages: frozenset[str], page: str, ms: float) -> None:
    if page not in known_pages:
        raise InvalidInput("unknown page: send the route template of one of this app's pages", field="page")
    if not 0 <= ms <= MAX_LOAD_MS:
        raise InvalidInput(f"ms must be between 0 and {MAX_LOAD_MS:,}", field="ms")
    PAGE_LOAD.labels(page).observe(ms / 1000)
    WINDOWS["page_load"].add(ms / 1000)
