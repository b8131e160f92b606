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


def test_a_rate_chart_uses_one_time_unit_for_all_its_numbers():
    from memo_coach.observability.units import rate_per

    values = [2.0, 0.5, 0.02]  # alone they would read "2/s", "30/min", "1.2/min"
    per = rate_per(values)
    assert per == "s" and [human(v, RATE, per) for v in values] == ["2/s", "0.5/s", "0.02/s"]
    assert rate_per([0.05, 0.02]) == "min" and rate_per([0.0001]) == "h" and rate_per([]) == "min"


@pytest.mark.parametrize(
    ("label", "value", "unit", "threshold", "said"),
    [
        ("disk used", 0.10670941151957304, RATIO, 0.85, "disk used 10.7% (threshold 85%)"),
        ("p95 latency", 2.4, SECONDS, 2, "p95 latency 2.4 s (threshold 2 s)"),
        ("health of llm:", 2, "health", 1, "health of llm: unhealthy (threshold degraded)"),
        ("stranded evaluations:", None, "count", 0, "stranded evaluations: no value yet (threshold 0)"),
    ],
)
def test_an_alert_value_reads_with_its_unit_and_threshold(label, value, unit, threshold, said):
    from memo_coach.observability.units import reading

    assert reading(label, value, unit, threshold) == said


def test_a_length_of_history_reads_in_the_largest_unit():
    from memo_coach.observability.units import span

    assert [span(s) for s in (30, 420, 5.5 * 3600, 86400, 2.34 * 86400)] == [
        "30 seconds",
        "7 minutes",
        "5.5 hours",
        "1 day",
        "2.3 days",
    ]
