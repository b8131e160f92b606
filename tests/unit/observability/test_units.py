"""Operators read human numbers: units, three digits, no exponents."""

from datetime import UTC, datetime

import pytest

from memo_coach.observability.units import BYTES, RATE, RATIO, SECONDS, human, when


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (2.376e8, BYTES, "238 MB"),
        (1536, BYTES, "1.54 kB"),
        (12, BYTES, "12 B"),
        (0.2404, SECONDS, "240 ms"),
        (1.4, SECONDS, "1.4 s"),
        (0.125, RATIO, "12.5%"),
        (1.0, RATIO, "100%"),
        (4.2, RATE, "4.2/s"),
        (0.0533, RATE, "3.2/min"),
        (0.0002, RATE, "0.72/h"),
        (None, BYTES, "no data yet"),
    ],
)
def test_values_are_shown_with_their_unit(value, unit, shown):
    assert human(value, unit) == shown


def test_moments_are_clock_times_with_the_day():
    moment = datetime(2026, 12, 1, 22, 41, 7, tzinfo=UTC)
    assert when(moment) == "22:41 UTC, 1 Dec 2026"
    assert when(moment.isoformat(), now=moment) == "22:41 UTC today"
