"""The evaluation page of a revision shows what changed in the text, and the offline chat's quotes
show as quotes: over HTTP, with the real app and a real SQLite file."""

from __future__ import annotations

import re

import pytest

from memo_coach.coaching.models import Evaluation
from memo_coach.db.engine import session_scope
from tests.support.helpers import make_settings
from tests.support.pages import sign_in_page, submit

FIRST = """Subject: Test servers

We need new servers for the QA team. They cost money & <b>time</b>.

Our three test servers are six years old and crash a lot.

Thanks,
Tomás
"""
REVISED = """Subject: Four test servers: $38,400, decision by 17 March

I'd like your approval to spend $38,400 on four new test servers for the QA team by 17 March.

Our three test servers are six years old. In February they crashed 23 times (monitoring log, February).

If you approve, I will place the order on 18 March and report the crash count on 30 May.

Thanks,
Tomás
"""


@pytest.fixture
def settings(tmp_path, sqlite_url):
    return make_settings(tmp_path, sqlite_url)


@pytest.fixture
def token(client, admin_headers):
    return sign_in_page(client, admin_headers, "writer-diff")


def revised(client, token, app) -> int:
    first = submit(client, token, FIRST)
    with session_scope(app.state.runtime.sessions) as session:
        memo_id = session.get(Evaluation, first).memo_id
    return submit(client, token, REVISED, memo_id=memo_id)


def test_a_revision_shows_the_words_added_and_removed_beside_the_score_changes(client, token, app):
    page = client.get(f"/evaluations/{revised(client, token, app)}").text
    changes = page[page.index('id="changes"') : page.index('id="detailed"')]
    assert "What changed in the text" in changes and re.search(r"\d+ words added, \d+ removed", changes)
    assert '<ins><span class="visually-hidden">added: </span>' in changes
    assert '<del><span class="visually-hidden">removed: </span>' in changes
    assert "23 times" in re.sub(r"<[^>]+>", "", changes)
    # The writer's text is escaped in the diff, never markup.
    assert "&lt;b&gt;time&lt;/b&gt;" in changes and "<b>time</b>" not in changes
    assert changes.index("<table") < changes.index('id="text-diff"')


def test_a_first_revision_has_no_diff(client, token):
    page = client.get(f"/evaluations/{submit(client, token, FIRST)}").text
    assert 'id="text-diff"' not in page and "What changed in the text" not in page


def test_the_offline_answer_shows_quotes_as_blockquotes_with_no_raw_marker(client, token, app):
    ev_id = revised(client, token, app)
    page = client.post(
        f"/evaluations/{ev_id}/chat", data={"question": "What should the plan say?", "csrf_token": token}
    )
    answer = page.text[page.text.index('class="msg coach"') :]
    answer = answer[: answer.index("</li>")]
    assert "no language model is configured" in answer
    assert "<blockquote>If you approve, I will place the order on 18 March" in answer
    assert "&gt;" not in answer and "\n> " not in answer
