"""How pages show times, counts and stored details: readable text in a <time> that keeps the exact moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from memo_coach.web.pages.template_filters import clock_text, day_text, details_list, moment_html, plural, runbook_link

NOW = datetime(2025, 12, 7, 14, 40, 0, tzinfo=UTC)


def test_a_moment_reads_short_and_keeps_the_exact_time_for_machines():
    html = moment_html("2025-12-07T11:32:05.123456+00:00", now=NOW)
    assert html == (
        '<time datetime="2025-12-07T11:32:05+00:00" title="7 Dec 11:32 UTC (2025-12-07T11:32:05+00:00)">'
        "7 Dec 11:32 UTC</time>"
    )
    assert ">8 min ago</time>" in moment_html(NOW - timedelta(minutes=8), now=NOW)
    assert ">in 5 min</time>" in moment_html(NOW + timedelta(minutes=5), now=NOW)
    assert ">7 Dec 14:32:05 UTC</time>" in moment_html("2025-12-07T14:32:05", relative=False, seconds=True, now=NOW)
    assert clock_text("2024-01-02T03:04:00+01:00", NOW) == "2 Jan 2024 02:04 UTC"  # other years say so
    assert day_text("2025-03-09", NOW) == "9 Mar" and moment_html(None) == ""


def test_counts_agree_with_their_word():
    assert [plural(n, "ticket") for n in (0, 1, 2, 1204)] == ["0 tickets", "1 ticket", "2 tickets", "1,204 tickets"]
    assert plural(1, "entry", "entries") == "1 entry" and plural(3, "entry", "entries") == "3 entries"


def test_stored_details_read_as_a_key_value_list_and_are_escaped():
    html = details_list({"role": "admin", "change": {"from": "writer"}, "hosts": ["a", "b"], "note": "<b>x</b>"})
    assert html == (
        '<dl class="kv"><dt>role</dt><dd>admin</dd><dt>change from</dt><dd>writer</dd>'
        "<dt>hosts</dt><dd>a, b</dd><dt>note</dt><dd>&lt;b&gt;x&lt;/b&gt;</dd></dl>"
    )
    assert details_list({}) == ""


def test_runbook_paths_become_links_and_other_text_stays_text():
    assert runbook_link("docs/runbooks/disk_above_95.md") == (
        '<a class="runbook" href="/ops/runbooks/disk_above_95">disk_above_95.md</a>'
    )
    assert runbook_link("../etc/passwd") == "<code>../etc/passwd</code>"
