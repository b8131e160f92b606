"""Words the support and status pages receive as data must be marked for the catalogue, or a Spanish
page would show them in English: a new state, step or category added below fails here first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from memo_coach.incidents.status import COMPONENTS, IMPACT, PLAIN_STATUS, STATE_LABELS, STEP_MESSAGES
from memo_coach.support.models import STATUSES
from memo_coach.web.pages import status_pages, support_pages
from memo_coach.web.pages.template_filters import clock_text, day_text, moment_html
from memo_coach.web.pages.translation import speaking, translations


def test_every_status_page_word_from_data_is_marked_and_has_spanish():
    shown = {*STATE_LABELS.values(), *PLAIN_STATUS.values(), *IMPACT.values(), *STEP_MESSAGES.values(), *COMPONENTS}
    assert shown | {"Update"} == set(status_pages.DATA_WORDS)
    spanish = translations("es")
    assert [w for w in status_pages.DATA_WORDS if spanish.gettext(w) == w] == []


def test_every_ticket_status_and_category_a_writer_reads_has_spanish():
    shown = {s.replace("_", " ") for s in STATUSES} | set(support_pages.CATEGORY_NAMES.values())
    assert shown <= set(support_pages.DATA_WORDS) | set(support_pages.CATEGORY_NAMES.values())
    spanish = translations("es")
    assert [w for w in shown | set(support_pages.DATA_WORDS) if spanish.gettext(w) == w] == []


def test_times_follow_the_page_language():
    now = datetime(2026, 9, 7, 12, 0, tzinfo=UTC)
    with speaking("es"):
        assert clock_text("2026-09-07T14:32:05+00:00", now) == "7 sept 14:32 UTC"
        assert day_text("2025-01-09", now) == "9 ene 2025"
        assert ">hace 8 min</time>" in moment_html(now - timedelta(minutes=8), now=now)
        assert ">dentro de 5 min</time>" in moment_html(now + timedelta(minutes=5), now=now)
        assert ">ahora mismo</time>" in moment_html(now, now=now)
    assert clock_text("2026-09-07T14:32:05+00:00", now) == "7 Sep 14:32 UTC"  # English again outside
