"""The route templates of the app's HTML pages, the only names a browser may report a page load under."""

from __future__ import annotations

import weakref

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

NOT_PAGES = ("/api/", "/health", "/metrics", "/static", "/ops/charts/", "/favicon.ico")
# Computed on first use per app: walking the routes costs about half a second, which start-up (the
# floor under crash recovery) should not pay. Weak keys: an app gone takes its entry along.
_known: weakref.WeakKeyDictionary[FastAPI, frozenset[str]] = weakref.WeakKeyDictionary()


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
    if app not in _known:
        _known[app] = page_templates(app)
    return _known[app]
