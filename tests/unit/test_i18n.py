"""Which language a writer gets: their setting, else Accept-Language, else English; never an error."""

from __future__ import annotations

import pytest

from memo_coach.i18n import choose_language, language_from_header, preferred_languages


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-ES,es;q=0.9,en;q=0.8", "es"),
        ("en-GB,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR, es;q=0.5, en;q=0.4", "es"),  # French is not offered: the next one that is
        ("de, fr", None),
        ("en;q=0.2, es;q=0.9", "es"),  # order by quality, not by position
        ("ES-mx", "es"),
        ("es;q=0, en", "en"),  # q=0 means "not this one"
        ("*", None),
    ],
)
def test_the_header_is_negotiated_against_english_and_spanish(header, expected):
    assert language_from_header(header) == expected


@pytest.mark.parametrize(
    "header",
    ["", ";;;", "es;q=abc", "es;q=2", "<script>", "es" * 400, "e s,,", "es-ES-" + "x" * 20, "\x00es"],
)
def test_a_malformed_header_is_ignored(header):
    assert language_from_header(header) is None
    assert choose_language(None, header) == "en"


def test_malformed_parts_are_skipped_and_the_rest_is_kept():
    assert preferred_languages("garbage;;q=1, es;q=0.7, en;q=x") == ["es"]


def test_the_writers_setting_wins_over_the_browser_and_an_unknown_setting_does_not():
    assert choose_language("en", "es") == "en"
    assert choose_language("es", "en") == "es"
    assert choose_language(None, "es") == "es"
    assert choose_language("fr", "es") == "es"
