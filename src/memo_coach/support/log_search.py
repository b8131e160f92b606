"""Searching this replica's JSON-lines logs by request id, level, time range, route and user.

Files are read newest first (app.log, then app.log.1, ...), so the newest matches come back first
and a search stops once it has `limit` of them. A request id from a writer's error page finds every
line that request wrote, in one search.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from memo_coach.errors import InvalidInput
from memo_coach.observability.logs import LOG_FILE
from memo_coach.settings import Settings

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MAX_LIMIT = 1000


@dataclass(frozen=True)
class LogQuery:
    request_id: str | None = None
    level: str | None = None  # this level and above
    since: datetime | None = None
    until: datetime | None = None
    route: str | None = None  # a route template or a prefix of one
    user_id: int | None = None
    text: str | None = None  # a substring of the message
    limit: int = 200

    def __post_init__(self) -> None:
        if self.level and self.level.upper() not in LEVELS:
            raise InvalidInput(f"unknown level {self.level!r}; use one of {', '.join(LEVELS)}", field="level")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
        if self.since and self.until and self.since > self.until:
            raise InvalidInput("since is after until", field="since")

    def matches(self, entry: dict[str, Any]) -> bool:
        if self.request_id and entry.get("request_id") != self.request_id:
            return False
        if self.level and LEVELS.index(_level(entry)) < LEVELS.index(self.level.upper()):
            return False
        if self.route and not str(entry.get("route", "")).startswith(self.route):
            return False
        if self.user_id is not None and entry.get("user_id") != self.user_id:
            return False
        if self.text and self.text.lower() not in str(entry.get("message", "")).lower():
            return False
        return self._in_time(entry)

    def _in_time(self, entry: dict[str, Any]) -> bool:
        if not (self.since or self.until):
            return True
        at = entry_time(entry)
        if at is None:
            return False
        return (self.since is None or at >= self.since) and (self.until is None or at <= self.until)


def _level(entry: dict[str, Any]) -> str:
    level = str(entry.get("level", "INFO")).upper()
    return level if level in LEVELS else "INFO"


def entry_time(entry: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(str(entry.get("time")))
    except ValueError:
        return None


def log_files(settings: Settings) -> list[Path]:
    """app.log and its rotations, newest first."""
    current = settings.data_dir / LOG_FILE
    rotated = sorted(
        (p for p in current.parent.glob(current.name + ".*") if p.suffix.lstrip(".").isdigit()),
        key=lambda p: int(p.suffix.lstrip(".")),
    )
    return [p for p in (current, *rotated) if p.is_file()]


def _entry(line: str) -> dict[str, Any] | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None  # a line cut by a crash or written by something else
    return entry if isinstance(entry, dict) else None


def _entries(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", errors="replace") as f:
        return [entry for line in f if (entry := _entry(line)) is not None]


def newest_first(settings: Settings) -> Iterator[dict[str, Any]]:
    for path in log_files(settings):
        yield from reversed(_entries(path))


def search_logs(settings: Settings, query: LogQuery) -> dict[str, Any]:
    """{"lines": newest first, "truncated": more matched than the limit, "files": searched}."""
    found: list[dict[str, Any]] = []
    truncated = False
    for entry in newest_first(settings):
        if query.matches(entry):
            if len(found) == query.limit:
                truncated = True
                break
            found.append(entry)
        elif query.since and (at := entry_time(entry)) and at < query.since:
            break  # older files only hold older lines
    return {"lines": found, "truncated": truncated, "files": [p.name for p in log_files(settings)]}


def tail_newest_first(settings: Settings, max_bytes: int) -> Iterator[dict[str, Any]]:
    """The entries in the last `max_bytes` of the log files, newest first, reading nothing before them.

    For callers on a request's path (a ticket's context on every "Get help"): the logs grow to hundreds
    of megabytes, and reading them whole for each request made opening tickets a way to load the server."""
    budget = max_bytes
    for path in log_files(settings):
        if budget <= 0:
            return
        with path.open("rb") as f:
            size = f.seek(0, os.SEEK_END)
            start = max(0, size - budget)
            f.seek(start)
            lines = f.read(size - start).split(b"\n")
        budget -= size - start
        if start:
            lines = lines[1:]  # begun mid-line
        for line in reversed(lines):
            if line and (entry := _entry(line.decode("utf-8", errors="replace"))) is not None:
                yield entry


def recent_request_ids(settings: Settings, user_id: int, limit: int = 5, tail_bytes: int = 1 << 20) -> list[str]:
    """The user's last requests on this replica (for a ticket's context), newest first, in the last
    `tail_bytes` of the logs (a few thousand lines: the minutes before the writer asked for help)."""
    ids: list[str] = []
    for entry in tail_newest_first(settings, tail_bytes):
        rid = entry.get("request_id")
        if entry.get("user_id") == user_id and rid and rid != "-" and rid not in ids:
            ids.append(rid)
            if len(ids) == limit:
                break
    return ids


def parse_time(value: str | None, field: str) -> datetime | None:
    if not value:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{field} is not an ISO 8601 time: {value!r}", field=field) from None
    if at.tzinfo is None:
        raise InvalidInput(f"{field} needs a UTC offset, e.g. {value}+00:00", field=field)
    return at
