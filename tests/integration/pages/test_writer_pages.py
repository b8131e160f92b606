"""The writer's pages over HTTP: submit (form and script), feedback, revisions, chat, PDF and help."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess

import pytest

from memo_coach.coaching.models import PENDING, Evaluation, Memo
from memo_coach.config_store.versions import active_version, apply
from memo_coach.db.engine import session_scope
from tests.support.fake_llm import FakeLLM
from tests.support.helpers import make_settings, use_fake_llm
from tests.support.pages import sign_in_page, submit

MEMO = """Subject: Approve €48,000 for a walk-in support desk by 15 June

Recommendation: approve €48,000 so the support team can open a walk-in desk in Zürich by 1 July.
Walk-in questions rose from 120 to 310 a month between January and April (ticket data).
Our Athens team (Ελληνικά: «Καλημέρα») and the Tokyo team (日本語: 東京チーム) asked for the same desk.
The main risk is staffing; Léa Müller will own hiring and review the desk after 90 days.
"""


@pytest.fixture
def settings(tmp_path, sqlite_url):
    """These pages do not depend on the database flavour; test_history_pages runs on both."""
    return make_settings(tmp_path, sqlite_url)


@pytest.fixture
def token(client, admin_headers):
    return sign_in_page(client, admin_headers, "writer-a")


def test_the_submit_page_has_a_labelled_text_area_and_states_the_limit(client, token):
    page = client.get("/").text
    assert '<label for="text_content">Memo text</label>' in page and 'id="text_content"' in page
    assert "Up to 20,000 characters." in page and "/static/submit.js" in page


def test_a_plain_form_post_evaluates_and_redirects_to_the_feedback(client, token):
    response = client.post("/submit", data={"text_content": MEMO, "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and re.fullmatch(r"/evaluations/\d+", response.headers["location"])


def test_a_refused_memo_is_explained_in_words_and_its_text_is_kept(client, token):
    page = client.post("/submit", data={"text_content": "   ", "csrf_token": token})
    assert page.status_code == 422 and "the memo is empty" in page.text
    too_long = "x" * 20_001
    page = client.post("/submit", data={"text_content": too_long, "csrf_token": token})
    assert page.status_code == 422 and "the limit is 20,000" in page.text and too_long in page.text
    scripted = client.post(
        "/submit", data={"text_content": "", "csrf_token": token}, headers={"Accept": "application/json"}
    )
    assert scripted.status_code == 422 and scripted.json() == {"error": "the memo is empty", "field": "text_content"}


def test_a_submit_without_the_csrf_token_is_refused(client, token):
    response = client.post("/submit", data={"text_content": MEMO}, headers={"Accept": "application/json"})
    assert response.status_code == 403


def test_the_evaluation_page_shows_overall_detailed_and_marked_feedback(client, token, app):
    ev_id = submit(client, token, MEMO)
    page = client.get(f"/evaluations/{ev_id}").text
    assert "Weighted score" in page and 'id="strengths"' in page and 'id="opportunities"' in page
    rubric = app.state.runtime.coach.config._snapshot.rubric
    with session_scope(app.state.runtime.sessions) as session:
        result = session.get(Evaluation, ev_id).result
    for item in result["rubric_scores"]:  # the rubric's words for the very score given, per criterion
        guidance = rubric.criterion(item["criterion_id"]).guidance[item["score"]]
        assert guidance.replace('"', "&#34;") in page
    assert page.count("<mark id=") == len(result["segment_feedback"]) > 0
    assert page.count('role="tooltip"') >= 4
    assert "Offline feedback" not in page  # offline by configuration is not a degraded answer


def test_another_writers_evaluation_and_memo_do_not_exist_for_them(client, token, admin_headers):
    ev_id = submit(client, token, MEMO)
    client.cookies.clear()
    sign_in_page(client, admin_headers, "writer-b")
    assert client.get(f"/evaluations/{ev_id}").status_code == 404
    assert client.get(f"/evaluations/{ev_id}/pdf").status_code == 404
    assert client.get("/memos/1/revise").status_code == 404


def test_a_refused_revision_comes_back_as_a_revision_of_ones_own_memo_only(client, token, app, admin_headers):
    first = submit(client, token, MEMO)
    with session_scope(app.state.runtime.sessions) as session:
        memo_id = session.get(Evaluation, first).memo_id
    page = client.post("/submit", data={"text_content": "  ", "csrf_token": token, "memo_id": str(memo_id)})
    assert page.status_code == 422 and "the memo is empty" in page.text
    assert "Revise “" in page.text and f'name="memo_id" value="{memo_id}"' in page.text
    client.cookies.clear()
    other = sign_in_page(client, admin_headers, "writer-b")
    page = client.post("/submit", data={"text_content": "  ", "csrf_token": other, "memo_id": str(memo_id)})
    assert page.status_code == 422 and "Revise" not in page.text and 'name="memo_id"' not in page.text


def test_a_revision_is_the_same_memo_and_shows_how_each_criterion_moved(client, token, app):
    first = submit(client, token, "Some thoughts about support.\n\nWe have been busy lately and things are hard.")
    with session_scope(app.state.runtime.sessions) as session:
        memo_id = session.get(Evaluation, first).memo_id
    form = client.get(f"/memos/{memo_id}/revise").text
    assert f'name="memo_id" value="{memo_id}"' in form and "We have been busy lately" in form
    # The earlier comments sit beside the editor, so the writer need not switch pages.
    with session_scope(app.state.runtime.sessions) as session:
        earlier = session.get(Evaluation, first).result
    assert "Comments on revision 1" in form
    assert html.escape(earlier["segment_feedback"][0]["comment"], quote=False) in form
    assert html.escape(earlier["opportunities"][0], quote=False) in form
    second = submit(client, token, MEMO, memo_id=memo_id)
    page = client.get(f"/evaluations/{second}").text
    assert "Changes since revision 1" in page and "Revision 2 (this one)" in page
    assert re.search(r"▲</span> up \d", page)  # a better memo moves at least one criterion up, in words
    with session_scope(app.state.runtime.sessions) as session:
        assert session.query(Memo).count() == 1


def test_feedback_is_marked_when_the_llm_failed_and_the_offline_analyzer_answered(client, token, app):
    with FakeLLM(default="status:500") as fake:
        use_fake_llm(app, fake.openai_base_url)
        ev_id = submit(client, token, MEMO)
        page = client.get(f"/evaluations/{ev_id}").text
    assert "Offline feedback:" in page and "the language model was unavailable" in page


def test_chat_gives_the_model_the_memo_its_versions_the_rubric_and_the_evaluation(client, token, app):
    with FakeLLM() as fake:
        use_fake_llm(app, fake.openai_base_url)
        first = submit(client, token, "First draft: we need money for a desk.")
        with session_scope(app.state.runtime.sessions) as session:
            memo_id = session.get(Evaluation, first).memo_id
        second = submit(client, token, MEMO, memo_id=memo_id)
        fake.script("text:Lead with the amount and the date in your first sentence.")
        response = client.post(
            f"/evaluations/{second}/chat", data={"question": "How can I sharpen the ask?", "csrf_token": token}
        )
        sent = fake.requests[-1]["json"]["messages"]
    assert response.status_code == 200 and "Lead with the amount and the date" in response.text
    assert "offline: rubric guidance" not in response.text
    system = sent[0]["content"]
    assert "First draft: we need money for a desk." in system and "Léa Müller" in system
    assert 'Rubric "Business memo"' in system and "Fake score for" in system
    assert sent[-1] == {"role": "user", "content": "How can I sharpen the ask?"}


def test_chat_says_plainly_when_the_model_is_unavailable_and_offers_the_matching_guidance(client, token, app):
    ev_id = submit(client, token, MEMO)
    with FakeLLM(default="status:503") as fake:
        use_fake_llm(app, fake.openai_base_url)
        page = client.post(
            f"/evaluations/{ev_id}/chat", data={"question": "Is my plan too vague?", "csrf_token": token}
        )
    assert "The coach is offline right now (the language model is unavailable)" in page.text
    assert "Plan and next steps" in page.text and "offline: read from your memo, not AI" in page.text
    # Answered from the memo, its plan sentence quoted, not the rubric recited.
    assert "<blockquote>The main risk is staffing; Léa Müller will own hiring" in page.text


def test_an_empty_question_is_refused_in_words(client, token):
    ev_id = submit(client, token, MEMO)
    page = client.post(f"/evaluations/{ev_id}/chat", data={"question": " ", "csrf_token": token})
    assert page.status_code == 422 and "the question is empty" in page.text


def test_the_pdf_has_the_memo_the_evaluation_the_rubric_table_and_unicode_text(client, token, tmp_path):
    ev_id = submit(client, token, MEMO)
    response = client.get(f"/evaluations/{ev_id}/pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        if os.environ.get("MEMO_COACH_REQUIRE_BROWSER") == "1":
            pytest.fail("pdftotext is missing (apt-get install poppler-utils)")
        pytest.skip("pdftotext is missing (apt-get install poppler-utils)")
    path = tmp_path / "e.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Overall score", "Strengths", "Rubric scores", "Feedback on passages", "The memo"):
        assert expected in text
    for expected in ("Zürich", "Léa Müller", "Καλημέρα", "東京チーム", "€48,000"):
        assert expected in text


def test_a_pending_evaluation_has_no_pdf_yet(client, token, app):
    ev_id = submit(client, token, MEMO)
    with session_scope(app.state.runtime.sessions) as session:
        session.get(Evaluation, ev_id).status = PENDING
    response = client.get(f"/evaluations/{ev_id}/pdf")
    assert response.status_code == 409 and "only a completed evaluation has a PDF" in response.text


def test_help_is_generated_from_the_active_rubric(client, token, app):
    page = client.get("/help").text
    assert "Bottom line and structure" in page and "Pyramid Principle" in page
    with session_scope(app.state.runtime.sessions) as session:
        content = active_version(session, "rubric").content.replace("en: The ask", "en: The request")
        apply(session, "rubric", content, author="test", reason="rename a criterion")
    page = client.get("/help").text
    assert "The request" in page and "<h3>The ask" not in page
    assert "This is rubric version 2, in use since" in page and "(rename a criterion)" in page


def test_a_form_posted_after_the_session_ended_comes_back_to_its_page_after_sign_in(client, token):
    ev_id = submit(client, token, MEMO)
    client.cookies.delete("memo_session")
    page = f"http://testserver/evaluations/{ev_id}"
    response = client.post(
        f"/evaluations/{ev_id}/chat",
        data={"question": "Why?", "csrf_token": token},
        headers={"Referer": page},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == f"/login?next=/evaluations/{ev_id}"
    foreign = client.post(
        "/submit", data={"csrf_token": token}, headers={"Referer": "https://evil.example/x"}, follow_redirects=False
    )
    assert foreign.headers["location"] == "/login?next=/"


def test_an_offline_score_says_what_the_analyzer_can_and_cannot_judge(client, token):
    ev_id = submit(client, token, MEMO)
    page = client.get(f"/evaluations/{ev_id}")
    assert "What the offline analyzer can and cannot judge" in page.text
    assert "whether your figures are true" in page.text
