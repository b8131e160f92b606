"""The memo's language: English and Spanish are coached in their own language; any other, or one the
detector cannot tell, is coached as English with a note that says so."""

import pytest

from memo_coach.coaching.language import MIN_CONFIDENCE, detect

ENGLISH = (
    "I request approval of $18,000 by 15 May to replace the room booking system. Reception spends nine hours "
    "a week fixing double bookings, and the vendor ends support for our version in December."
)
SPANISH = (
    "Solicitamos la aprobación de 18.000 EUR antes del 15 de mayo para sustituir el sistema de reservas. "
    "Recepción dedica nueve horas a la semana a resolver reservas duplicadas."
)
FRENCH = (
    "Nous demandons l'approbation de 18 000 EUR avant le 15 mai pour remplacer le système de réservation des "
    "salles. L'accueil consacre neuf heures par semaine à corriger les doubles réservations."
)


@pytest.mark.parametrize(("memo", "code"), [(ENGLISH, "en"), (SPANISH, "es")])
def test_english_and_spanish_memos_are_coached_in_their_own_language(memo, code):
    language = detect(memo)
    assert (language.code, language.detected, language.note) == (code, code, None)
    assert language.confidence >= MIN_CONFIDENCE


def test_a_memo_in_another_language_is_named_and_coached_as_english_with_a_note():
    language = detect(FRENCH)
    assert (language.code, language.detected) == ("en", "fr")
    assert language.note.startswith("This memo looks French;") and "English and Spanish" in language.note


def test_a_line_too_short_to_tell_is_coached_in_english_without_comment():
    language = detect("Approve $500 by Friday?")
    assert (language.code, language.detected, language.note) == ("en", None, None)


def test_only_the_opening_of_a_long_memo_is_read():
    assert detect(SPANISH * 6 + " " + ENGLISH * 20).code == "es"
    assert detect(ENGLISH * 8 + " " + SPANISH * 20).code == "en"
