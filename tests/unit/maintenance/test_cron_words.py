"""Schedules in the words people read them in; anything unusual stays the cron itself, never a guess."""

from __future__ import annotations

import pytest

from memo_coach.maintenance.scheduler.cron_words import describe


@pytest.mark.parametrize(
    ("cron", "words"),
    [
        ("30 6 1 * *", "monthly, 1st at 06:30 UTC"),
        ("0 2 * * *", "daily at 02:00 UTC"),
        ("0 3 * * 0", "weekly, Sunday at 03:00 UTC"),
        ("0 3 * * 7", "weekly, Sunday at 03:00 UTC"),
        ("0 7 * * mon", "weekly, Monday at 07:00 UTC"),
        ("0 2 22 * *", "monthly, 22nd at 02:00 UTC"),
        ("0 2 13 * *", "monthly, 13th at 02:00 UTC"),
        ("*/30 * * * *", "every 30 minutes"),
        ("5 * * * *", "hourly, 5 minutes past the hour"),
    ],
)
def test_the_usual_shapes_read_in_words(cron, words):
    assert describe(cron, "UTC") == words


@pytest.mark.parametrize(
    "cron", ["0 0 1,15 * *", "0 0 * * 1-5", "0 0 1 1 *", "0 */2 * * *", "*/5 * * * * *", "0 2 0 * *"]
)
def test_unusual_ones_are_shown_as_written(cron):
    assert describe(cron, "Europe/Paris") == f"{cron} Europe/Paris"


def test_a_time_of_day_names_its_zone():
    assert describe("15 2 * * *", "Europe/Paris") == "daily at 02:15 Europe/Paris"
