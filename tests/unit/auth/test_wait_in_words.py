"""A lockout says how long to wait the way a person would."""

import pytest

from memo_coach.auth.sessions import wait_in_words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1, "1 second"), (40, "40 seconds"), (60, "1 minute"), (61, "2 minutes"), (898, "15 minutes")],
)
def test_a_wait_is_said_in_minutes_or_seconds(seconds, words):
    assert wait_in_words(seconds) == words
