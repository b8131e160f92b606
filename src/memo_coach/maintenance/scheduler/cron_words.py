"""A cron expression in the words people read a schedule in: "daily at 02:15 UTC".

Only the shapes maintenance.yaml uses are put in words (every N minutes, hourly, daily, weekly on one
day, monthly on one day); anything else is shown as the cron itself, which is never wrong.
"""

from __future__ import annotations

DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_NAMES = {name[:3].lower(): i for i, name in enumerate(DAYS[:7])}


def describe(cron: str, zone: str) -> str:
    """The schedule in words, with its zone; the raw cron and zone when it has no plain wording."""
    fields = cron.split()
    words = _words(*fields) if len(fields) == 5 else None
    if words is None:
        return f"{cron} {zone}"
    return f"{words} {zone}" if " at " in words else words  # a time of day is read in the zone


def _words(minute: str, hour: str, day: str, month: str, weekday: str) -> str | None:
    if month != "*":
        return None
    if hour == "*":
        return _within_the_hour(minute) if (day, weekday) == ("*", "*") else None
    if not (_number(minute, 59) and _number(hour, 23)):
        return None
    return _on_days(f"at {int(hour):02d}:{int(minute):02d}", day, weekday)


def _within_the_hour(minute: str) -> str | None:
    if minute.startswith("*/") and minute[2:].isdigit():
        return f"every {int(minute[2:])} minutes"
    return f"hourly, {int(minute)} minutes past the hour" if _number(minute, 59) else None


def _on_days(at: str, day: str, weekday: str) -> str | None:
    if (day, weekday) == ("*", "*"):
        return f"daily {at}"
    if day == "*" and _weekday(weekday) is not None:
        return f"weekly, {DAYS[_weekday(weekday)]} {at}"
    if weekday == "*" and _number(day, 31) and int(day) >= 1:
        return f"monthly, {_ordinal(int(day))} {at}"
    return None


def _number(value: str, highest: int) -> bool:
    return value.isdigit() and int(value) <= highest


def _weekday(value: str) -> int | None:
    if value.isdigit() and int(value) <= 7:
        return int(value)
    return DAY_NAMES.get(value.lower())


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"
