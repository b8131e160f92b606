"""Page load times reported by browsers: only a page's route template and a duration, nothing personal.

The page must be one of the app's own GET page routes (the web door names them), so the metric's
labels stay bounded.
"""

from __future__ import annotations

from memo_coach.errors import InvalidInput
from memo_coach.observability.metrics import PAGE_LOAD, WINDOWS

MAX_LOAD_MS = 120_000


def record_page_load(known_pages: frozenset[str], page: str, ms: float) -> None:
    if page not in known_pages:
        raise InvalidInput("unknown page: send the route template of one of this app's pages", field="page")
    if not 0 <= ms <= MAX_LOAD_MS:
        raise InvalidInput(f"ms must be between 0 and {MAX_LOAD_MS:,}", field="ms")
    PAGE_LOAD.labels(page).observe(ms / 1000)
    WINDOWS["page_load"].add(ms / 1000)
