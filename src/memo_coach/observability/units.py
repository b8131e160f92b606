"""Numbers and times as an operator reads them: "240 ms", "12.5%", "226 MB", "3.2/min", "14:05 UTC".

One set of rules for the console page, its SVG fallback charts and `memo-coach status`; the
page's script (static/ops-charts.js) follows the same rules for axes and hover values.
"""

from __future__ import annotations

from datetime import datetime

SECONDS, RATIO, RATE, BYTES = "seconds", "ratio", "rate", "bytes"
_BYTE_STEPS = ((1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB"))


def _trim(number: float, digits: int = 3) -> str:
    """Three significant digits without a trailing ".0": 2.38, 23.8, 238."""
    text = f"{number:.{digits}g}"
    return text if "e" not in text else f"{number:.0f}"


def human(value: float | None, unit: str) -> str:
    """One value with its unit, rounded to what a person compares."""
    if value is None:
        return "no data yet"
    if unit == SECONDS:
        return f"{_trim(value * 1000)} ms" if abs(value) < 1 else f"{_trim(value)} s"
    if unit == RATIO:
        return f"{_trim(value * 100)}%"
    if unit == BYTES:
        for limit, suffix in _BYTE_STEPS:
            if abs(value) >= limit:
                return f"{_trim(value / limit)} {suffix}"
        return f"{value:.0f} B"
    if unit == RATE:
        # Below one a second, a minute or an hour is the natural unit: "3.2/min", not "0.0533/s".
        for factor, per in ((1, "s"), (60, "min"), (3600, "h")):
            if abs(value) * factor >= 1 or per == "h":
                return f"{_trim(value * factor)}/{per}"
    return _trim(value)


def when(moment: datetime | str, now: datetime | None = None) -> str:
    """A moment as "22:41 UTC, 1 Dec", with "today" when it is."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    clock = f"{moment:%H:%M} UTC"
    if now is not None and moment.date() == now.date():
        return f"{clock} today"
    return f"{clock}, {moment.day} {moment:%b %Y}"
