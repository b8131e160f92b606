"""The history page on both databases: every evaluation, paginated, and the chart of the latest scores."""

from __future__ import annotations

import re

from memo_coach.auth.models import User
from memo_coach.coaching.history import CHART_POINTS
from memo_coach.db.engine import session_scope
from tests.support.pages import sign_in_page
from tests.support.seed import seed_evaluations


def test_history_lists_every_evaluation_in_pages_and_charts_the_latest(client, admin_headers, app):
    sign_in_page(client, admin_headers, "writer-h")
    with session_scope(app.state.runtime.sessions) as session:
        user = session.query(User).filter_by(username="writer-h").one()
        ids = seed_evaluations(
            session, user.id, CHART_POINTS + 5, app.state.runtime.coach.config.current(session).rubric
        )
    first = client.get("/history").text
    listed = first.split('id="history-table"')[1]
    assert f"Every evaluation ({len(ids)})" in first and "Page 1 of 4" in first
    assert listed.count('<tr><th scope="row"><a href="/evaluations/') == 20
    assert f'href="/evaluations/{ids[-1]}"' in listed  # newest first
    last = client.get("/history?page=4").text.split('id="history-table"')[1]
    assert last.count('<tr><th scope="row"><a href="/evaluations/') == 5 and f'href="/evaluations/{ids[0]}"' in last
    # The chart: one column per memo among the latest evaluations; two memos are never joined by a line.
    chart = first.split('id="progress-chart"')[1].split("</svg>")[0]
    assert 'id="progress-chart-compact"' in first  # drawn again for phones
    memos = len(re.findall(r'class="memo-mark"', chart))
    assert 1 <= memos <= CHART_POINTS and "<polyline" not in chart
    assert f"in your latest {CHART_POINTS} evaluations (of {len(ids)})" in first
    assert '<title id="progress-chart-title">' in first and "Memo by memo" in first
    assert first.count("<summary>Each criterion</summary>") == memos  # per-criterion detail on demand


def test_an_empty_history_invites_a_first_memo(client, admin_headers):
    sign_in_page(client, admin_headers, "writer-new")
    page = client.get("/history").text
    assert "No completed evaluations yet" in page and "<svg" not in page.split("Every evaluation")[0]
