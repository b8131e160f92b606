"""Ratings by the evaluation's owner, and page load timings with bounded labels."""

from memo_coach.web.csrf import CSRF_COOKIE
from tests.support.helpers import create_user

MEMO = "Budget request: we need two analysts because the backlog doubled. Please approve by Friday."


def evaluate(client, headers) -> int:
    return client.post("/api/v1/evaluations/submit", headers=headers, json={"text_content": MEMO}).json()["data"]["id"]


def test_the_owner_rates_and_rerates_and_the_console_counts_it(client, writer_headers, admin_headers):
    ev = evaluate(client, writer_headers)
    first = client.post(f"/api/v1/evaluations/{ev}/rating", headers=writer_headers, json={"helpful": False})
    assert first.status_code == 200 and first.json()["data"]["helpful"] is False
    again = client.post(
        f"/api/v1/evaluations/{ev}/rating", headers=writer_headers, json={"helpful": True, "comment": "clear advice"}
    )
    assert again.json()["data"] == {**again.json()["data"], "helpful": True, "comment": "clear advice"}
    sat = client.get("/api/v1/ops/overview?window=1h", headers=admin_headers).json()["data"]["satisfaction"]
    assert (sat["ratings"], sat["helpful"], sat["recent_comments"][0]["comment"]) == (1, 1, "clear advice")
    assert 'memo_coach_evaluation_ratings_total{helpful="true"}' in client.get("/metrics", headers=admin_headers).text


def test_only_the_owner_may_rate(client, writer_headers, admin_headers):
    ev = evaluate(client, writer_headers)
    other = create_user(client, admin_headers, "w2")
    assert client.post(f"/api/v1/evaluations/{ev}/rating", headers=other, json={"helpful": True}).status_code == 404


def test_bad_ratings_are_refused_with_the_field(client, writer_headers):
    ev = evaluate(client, writer_headers)
    long = client.post(
        f"/api/v1/evaluations/{ev}/rating", headers=writer_headers, json={"helpful": True, "comment": "x" * 1001}
    )
    assert long.status_code == 422 and long.json()["errors"][0]["field"] == "comment"
    not_bool = client.post(f"/api/v1/evaluations/{ev}/rating", headers=writer_headers, json={"helpful": "yes"})
    assert not_bool.status_code == 422 and not_bool.json()["errors"][0]["field"] == "helpful"


def test_the_rating_form_needs_its_csrf_token(client, writer_headers):
    ev = evaluate(client, writer_headers)
    client.get("/login")
    cookies_token = client.cookies.get(CSRF_COOKIE)
    refused = client.post(
        f"/evaluations/{ev}/rating", headers=writer_headers, data={"helpful": "yes"}, follow_redirects=False
    )
    assert refused.status_code == 403
    sent = client.post(
        f"/evaluations/{ev}/rating",
        headers=writer_headers,
        data={"helpful": "yes", "comment": "good", "csrf_token": cookies_token},
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"] == f"/evaluations/{ev}?rated=1#rating"
    confirmed = client.get(sent.headers["location"], headers=writer_headers).text
    assert "Thank you: your rating is saved." in confirmed


def test_page_loads_are_recorded_only_for_known_pages(client, writer_headers, admin_headers):
    ok = client.post("/api/v1/telemetry/page-load", headers=writer_headers, json={"page": "/ops", "ms": 420})
    assert ok.status_code == 202
    unknown = client.post("/api/v1/telemetry/page-load", headers=writer_headers, json={"page": "/users/alice", "ms": 1})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "page"
    negative = client.post("/api/v1/telemetry/page-load", headers=writer_headers, json={"page": "/", "ms": -1})
    assert negative.status_code == 422
    assert client.post("/api/v1/telemetry/page-load", json={"page": "/", "ms": 1}).status_code == 401
    metrics = client.get("/metrics", headers=admin_headers).text
    assert 'memo_coach_page_load_seconds_count{page="/ops"}' in metrics and "/users/alice" not in metrics


def test_pages_report_their_load_time_with_a_beacon_form(client, admin_headers):
    page = client.get("/ops", headers=admin_headers).text
    assert 'src="/static/page-timing.js' in page and 'data-page="/ops"' in page
    token = client.cookies.get(CSRF_COOKIE)
    sent = client.post(
        "/telemetry/page-load", headers=admin_headers, data={"page": "/ops", "ms": "250", "csrf_token": token}
    )
    assert sent.status_code == 204


def test_the_evaluation_page_offers_its_owner_the_rating_form_and_keeps_the_answer(client, writer_headers):
    ev = evaluate(client, writer_headers)
    page = client.get(f"/evaluations/{ev}", headers=writer_headers).text
    assert "Was this feedback helpful?" in page and f'action="/evaluations/{ev}/rating"' in page
    client.post(f"/api/v1/evaluations/{ev}/rating", headers=writer_headers, json={"helpful": False, "comment": "vague"})
    page = client.get(f"/evaluations/{ev}", headers=writer_headers).text
    assert 'value="no" checked' in page and ">vague</textarea>" in page
    assert "You rated this feedback not helpful" in page


def test_every_signed_in_page_reports_its_load_time(client, writer_headers):
    page = client.get("/history", headers=writer_headers).text
    assert 'src="/static/page-timing.js' in page and 'data-page="/history"' in page
