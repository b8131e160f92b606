"""Daily error-log review: new error types, the top errors with counts and sample request ids."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from memo_coach.settings import Settings
from memo_coach.support.log_search import entry_time, newest_first

ERROR_LEVELS = ("ERROR", "CRITICAL")
SAMPLES = 3
_NUMBERS = re.compile(r"\d+")


def signature(entry: dict[str, Any]) -> str:
    """What makes two error lines the same kind: the exception type, else logger and message shape."""
    if entry.get("exc_type"):
        where = entry.get("route") or entry.get("logger", "")
        return f"{entry['exc_type']} at {where}"
    message = _NUMBERS.sub("#", str(entry.get("message", "")))[:100]
    status = f" {entry['status']}" if entry.get("status") else ""
    return f"{entry.get('logger', '')}: {message}{status} {entry.get('route', '')}".strip()


def _errors_between(settings: Settings, start: datetime, end: datetime) -> list[dict[str, Any]]:
    found = []
    for entry in newest_first(settings):
        at = entry_time(entry)
        if at is None or at >= end:
            continue
        if at < start:
            break
        if str(entry.get("level", "")).upper() in ERROR_LEVELS:
            found.append(entry)
    return found


def error_log_review(settings: Settings, now: datetime, known_before: Iterable[str] = ()) -> dict[str, Any]:
    """The last 24 hours against the week before (as far as the logs reach) and earlier reports."""
    day = _errors_between(settings, now - timedelta(days=1), now)
    earlier = {signature(e) for e in _errors_between(settings, now - timedelta(days=8), now - timedelta(days=1))}
    known = earlier | set(known_before)
    counts = Counter(signature(e) for e in day)
    samples: dict[str, list[str]] = defaultdict(list)
    for entry in day:
        sig, rid = signature(entry), entry.get("request_id")
        if rid and rid != "-" and rid not in samples[sig] and len(samples[sig]) < SAMPLES:
            samples[sig].append(rid)
    top = [{"error": sig, "count": n, "sample_request_ids": samples[sig]} for sig, n in counts.most_common(10)]
    return {
        "from": (now - timedelta(days=1)).isoformat(),
        "to": now.isoformat(),
        "errors": sum(counts.values()),
        "new_types": sorted(set(counts) - known),
        "top": top,
        "signatures": sorted(set(counts)),
    }
