"""How pages show times, counts and stored details: one rule for each, so no page prints raw ISO or "1 tickets".

Data keeps ISO 8601 (APIs, exports); a person reads "7 Dec 14:32 UTC", or "3 min ago" while it is fresh,
inside a <time> element that still carries the exact moment for machines and the tooltip. Times are
written in the page's language ("7 dic 14:32 UTC", "hace 3 min" on a Spanish page).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from babel.dates import format_date, format_datetime
from markupsafe import Markup, escape

from memo_coach.db.base import utcnow
from memo_coach.observability.units import span
from memo_coach.web.pages.translation import current_language
from memo_coach.web.pages.translation import rendering_gettext as _

RECENT_SECONDS = 3600  # within an hour, "12 min ago" says more than a clock time
RUNBOOK_PAGES = "/ops/runbooks"
_RUNBOOK_FILE = re.compile(r"^docs/runbooks/([a-z0-9][a-z0-9_-]*)\.md$")


def _moment(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def clock_text(value: datetime | str | None, now: datetime | None = None, seconds: bool = False) -> str:
    """Reads like 7 Dec 14:32 UTC (14:32:05 with seconds, for timelines); the year only when not this year's."""
    if value is None or value == "":
        return ""
    moment, now = _moment(value), now or utcnow()
    year = " y" if moment.year != now.year else ""
    clock = "HH:mm:ss" if seconds else "HH:mm"
    return format_datetime(moment, f"d MMM{year} {clock}", tzinfo=UTC, locale=current_language()) + " UTC"


def day_text(value: date | datetime | str, now: datetime | None = None) -> str:
    """A day as 7 Dec (7 Dec 2024 when not this year's), for headings over a day's events."""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    year = " y" if day.year != (now or utcnow()).year else ""
    return format_date(day, f"d MMM{year}", locale=current_language())


def relative_text(value: datetime | str, now: datetime | None = None) -> str | None:
    """Within the hour: just now, 3 min ago, in 5 min. None further away, where a clock time reads better.

    The catalogue's words rather than babel's `format_timedelta`, whose English ("3 min. ago") is not this app's.
    """
    seconds = ((now or utcnow()) - _moment(value)).total_seconds()
    if abs(seconds) >= RECENT_SECONDS:
        return None
    if abs(seconds) < 60:
        return _("just now")
    minutes = round(abs(seconds) / 60)
    return (_("%(minutes)s min ago") if seconds > 0 else _("in %(minutes)s min")) % {"minutes": minutes}


def moment_html(
    value: datetime | str | None, relative: bool = True, seconds: bool = False, now: datetime | None = None
) -> Markup:
    """A <time> element: readable text, the exact ISO moment in `datetime` and in the tooltip."""
    if value is None or value == "":
        return Markup("")
    moment, now = _moment(value), now or utcnow()
    clock = clock_text(moment, now, seconds)
    text = (relative_text(moment, now) if relative else None) or clock
    iso = moment.isoformat(timespec="seconds")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(iso, f"{clock} ({iso})", text)


def plural(count: int | float, singular: str, many: str | None = None) -> str:
    """The count with the word that agrees with it: 1 ticket, 2 tickets, 1,204 events."""
    word = singular if count == 1 else (many or f"{singular}s")
    number = f"{count:,}" if isinstance(count, int) else f"{count:,.4g}"
    return f"{number} {word}"


def _flat(details: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(details, dict):
        named = ((f"{prefix} {key}" if prefix else str(key), value) for key, value in details.items())
        return [pair for key, value in named for pair in _flat(value, key.replace("_", " "))]
    if isinstance(details, list):
        if all(not isinstance(v, dict | list) for v in details):
            return [(prefix, ", ".join(str(v) for v in details) or "none")]
        return [pair for i, value in enumerate(details, 1) for pair in _flat(value, f"{prefix} {i}")]
    text = "yes" if details is True else "no" if details is False else "–" if details is None else str(details)
    return [(prefix or "value", text)]


def details_list(details: Any) -> Markup:
    """Stored details (audit events, runs) as a short key/value list; nested keys read "change role"."""
    if details in (None, {}, []):
        return Markup("")
    if not isinstance(details, dict):
        return escape(str(details))
    items = (Markup("<dt>{}</dt><dd>{}</dd>").format(key, value) for key, value in _flat(details))
    return Markup('<dl class="kv">') + Markup("").join(items) + Markup("</dl>")


def runbook_url(path: str) -> str | None:
    """`docs/runbooks/disk_above_95.md` -> `/ops/runbooks/disk_above_95`; None for any other path."""
    match = _RUNBOOK_FILE.match(path or "")
    return f"{RUNBOOK_PAGES}/{match.group(1)}" if match else None


def runbook_link(path: str) -> Markup:
    """A runbook path as a link to its page; any other text stays as code."""
    url = runbook_url(path)
    if url is None:
        return Markup("<code>{}</code>").format(path) if path else Markup("")
    return Markup('<a class="runbook" href="{}">{}</a>').format(url, path.removeprefix("docs/runbooks/"))


def install(env) -> None:
    """Registers the filters on the pages' Jinja environment."""
    env.filters["moment"] = moment_html
    env.filters["clock"] = clock_text
    env.filters["plural"] = plural
    env.filters["details_list"] = details_list
    env.filters["runbook_link"] = runbook_link
    env.filters["duration"] = span  # the number helper's words for a length of time: "15 minutes"
    env.filters["day"] = day_text
