"""What a ticket carries besides the writer's words, gathered by the door and shown before sending.

Page, evaluation id, recent request ids, app version and browser: enough to find the writer's
requests in the logs in one search. Never the memo: that only with the writer's tick.
"""

from __future__ import annotations

import re
from typing import Any

from memo_coach import __version__
from memo_coach.settings import Settings
from memo_coach.support.log_search import recent_request_ids

EVALUATION_PAGE = re.compile(r"^/evaluations/(\d{1,18})(?:/|$)")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
PAGE = re.compile(r"^/[A-Za-z0-9/._~-]{0,199}$")
MAX_REQUEST_IDS = 5


def clean_page(page: str | None) -> str | None:
    """A path on this site, or nothing (never a full URL or a query string with who-knows-what)."""
    path = (page or "").split("?", 1)[0].split("#", 1)[0]
    return path if PAGE.match(path) else None


def ticket_context(
    settings: Settings, user_id: int, page: str | None, request_ids: list[str], browser: str | None
) -> dict[str, Any]:
    page = clean_page(page)
    evaluation = EVALUATION_PAGE.match(page or "")
    given = [r for r in request_ids if REQUEST_ID.match(r or "")]
    recent = recent_request_ids(settings, user_id, MAX_REQUEST_IDS)
    ids = list(dict.fromkeys(given + recent))[:MAX_REQUEST_IDS]
    return {
        "page": page,
        "evaluation_id": int(evaluation[1]) if evaluation else None,
        "request_ids": ids,
        "app_version": __version__,
        "browser": (browser or "")[:300] or None,
    }
