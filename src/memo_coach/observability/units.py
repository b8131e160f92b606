"""Numbers and times as an operator reads them: "240 ms", "12.5%", "226 MB", "3.2/min", "14:05 UTC".

One set of rules for the console page, its SVG fallback charts, alert values (console, API, CLI,
notifications) and `memo-coach status`; the page's script (static/ops-charts.js) follows the same
rules for axes and hover values.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

SECONDS, RATIO, RATE, BYTES = "seconds", "ratio", "rate", "bytes"
COUNT, DAYS, TIMES, HEALTH = "count", "days", "times", "health"
_BYTE_STEPS = ((1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB"))
RATE_PERS = (("s", 1), ("min", 60), ("h", 3600))
HEALTH_WORDS = ("healthy", "degraded", "unhealthy")  # the 0, 1, 2 of health_status


def _trim(number: float, digits: int = 3) -> str:
    """Three significant digits without a trailing ".0": 2.38, 23.8, 238."""
    text = f"{number:.{digits}g}"
    return text if "e" not in text else f"{number:.0f}"


def unit_of(series: str) -> str:
    """A stored series' unit from its name: `_per_s` a rate, `_bytes`, `_ratio` (and the error rate and
    LLM availability, which are shares too), `_s` seconds; anything else a plain number."""
    if series.endswith("_per_s"):
        return RATE
    if series.endswith("_bytes"):
        return BYTES
    if series.endswith("_ratio") or series in ("error_rate", "llm_availability"):
        return RATIO
    if series.endswith("_s"):
        return SECONDS
    return ""


def rate_per(values: Iterable[float | None]) -> str:
    """The one time unit ("s", "min" or "h") a chart of rates uses for all its numbers: the largest
    whose biggest value still reads at least 1, so an axis never mixes "0.5/s" with "30/min"."""
    peak = max((abs(v) for v in values if v is not None), default=0.0)
    for per, factor in RATE_PERS:
        if peak * factor >= 1:
            return per
    return "min" if peak == 0 else "h"


def _rate(value: float, per: str | None) -> str:
    per = per or rate_per([value])
    factor = dict(RATE_PERS)[per]
    return f"{_trim(value * factor)}/{per}"


def _bytes(value: float) -> str:
    for limit, suffix in _BYTE_STEPS:
        if abs(value) >= limit:
            return f"{_trim(value / limit)} {suffix}"
    return f"{value:.0f} B"


def _seconds(value: float) -> str:
    return f"{_trim(value * 1000)} ms" if abs(value) < 1 else f"{_trim(value)} s"


def _health(value: float) -> str:
    return HEALTH_WORDS[int(value)] if value in (0, 1, 2) else _trim(value)


def _count(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else _trim(value)


_FORMATS = {
    SECONDS: _seconds,
    RATIO: lambda value: f"{_trim(value * 100)}%",
    BYTES: _bytes,
    DAYS: lambda value: f"{_trim(value)} days",
    TIMES: lambda value: f"{_trim(value)}×",
    HEALTH: _health,
    COUNT: _count,
}


def human(value: float | None, unit: str, per: str | None = None) -> str:
    """One value with its unit, rounded to what a person compares; `per` fixes a rate's time unit."""
    if value is None:
        return "no data yet"
    if unit == RATE:
        return _rate(value, per)
    return _FORMATS.get(unit, _trim)(value)


def reading(label: str, value: float | None, unit: str, threshold: float) -> str:
    """A value beside the threshold it is compared with: "disk used 10.7% (threshold 85%)"."""
    shown = "no value yet" if value is None else human(value, unit)
    return f"{label} {shown} (threshold {human(threshold, unit)})"


def span(seconds: float) -> str:
    """A length of time in the largest unit that reads at least 1: "7 minutes", "5.5 hours", "2.3 days"."""
    for size, name in ((86400, "days"), (3600, "hours"), (60, "minutes")):
        if seconds >= size:
            number = _trim(seconds / size, 2)
            return f"{number} {name[:-1] if number == '1' else name}"
    return f"{seconds:.0f} seconds"


def when(moment: datetime | str, now: datetime | None = None) -> str:
    """A moment as "22:41 UTC, 1 Dec", with "today" when it is."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    clock = f"{moment:%H:%M} UTC"
    if now is not None and moment.date() == now.date():
        return f"{clock} today"
    return f"{clock}, {moment.day} {moment:%b %Y}"
