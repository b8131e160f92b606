"""Submitting memos and reading evaluations through the API, with the offline analyzer."""

import pytest

from memo_coach.coaching.samples import pairs
from memo_coach.config_store.loader import load_file
from tests.support.helpers import CONFIG_DIR, create_user

MEMO = """# Proposal: move support tooling to a single vendor

We recommend consolidating our three support tools into one vendor by March 31, saving $120,000 a year.

Today agents switch between three systems, which adds 40 seconds to each ticket according to the Q3 time study.
The risk is a migration outage; we mitigate it with a two-week parallel run. Dana Lee owns the rollout.
We ask the leadership team to approve a one-time budget of $35,000 by Friday.
"""


def submit(client, headers, text=MEMO, **extra):
    return client.post("/api/v1/evaluations/submit", headers=headers, json={"text_content": text, **extra})


def test_a_submitted_memo_gets_a_complete_stored_evaluation(client, writer_headers):
    response = submit(client, writer_headers)
    assert response.status_code == 201, response.text
    ev = response.json()["data"]
    assert ev["status"] == "completed" and ev["provider"] == "offline" and ev["degraded"] is False
    assert ev["strengths"] and ev["opportunities"] and ev["segment_feedback"]
    rubric, _ = load_file("rubric", CONFIG_DIR)
    assert [s["criterion_id"] for s in ev["rubric_scores"]] == [c.id for c in rubric.criteria]
    for seg in ev["segment_feedback"]:
        assert seg["quote"] in MEMO
    assert ev["rubric_version_id"] and ev["prompt_version_id"] and ev["latency_ms"] >= 0
    stored = client.get(f"/api/v1/evaluations/{ev['id']}", headers=writer_headers).json()["data"]
    assert stored["overall_score"] == ev["overall_score"] and stored["text_content"] == MEMO


def test_the_overall_score_is_the_weighted_mean_of_the_criterion_scores(client, writer_headers):
    ev = submit(client, writer_headers).json()["data"]
    expected = sum(s["score"] * s["weight"] for s in ev["rubric_scores"]) / sum(
        s["weight"] for s in ev["rubric_scores"]
    )
    assert ev["overall_score"] == pytest.approx(expected, abs=0.01)


def test_other_writers_cannot_see_an_evaluation_but_admins_can(client, admin_headers, writer_headers):
    ev_id = submit(client, writer_headers).json()["data"]["id"]
    other = create_user(client, admin_headers, "writer2")
    support = create_user(client, admin_headers, "helper", role="support")
    assert client.get(f"/api/v1/evaluations/{ev_id}", headers=other).status_code == 404
    assert client.get(f"/api/v1/evaluations/{ev_id}", headers=support).status_code == 404
    assert client.get(f"/api/v1/evaluations/{ev_id}", headers=admin_headers).status_code == 200


def test_the_list_is_paginated_and_holds_only_ones_own(client, admin_headers, writer_headers):
    for _ in range(3):
        submit(client, writer_headers)
    submit(client, admin_headers)
    body = client.get("/api/v1/evaluations?limit=2&offset=0", headers=writer_headers).json()
    assert len(body["data"]) == 2 and body["meta"]["pagination"] == {"total": 3, "limit": 2, "offset": 0}
    rest = client.get("/api/v1/evaluations?limit=2&offset=2", headers=writer_headers).json()["data"]
    assert len(rest) == 1


def test_a_revision_belongs_to_the_same_memo(client, writer_headers):
    first = submit(client, writer_headers).json()["data"]
    second = submit(
        client, writer_headers, MEMO + "\nNext step: a pilot with two teams in April.", memo_id=first["memo_id"]
    ).json()["data"]
    assert second["memo_id"] == first["memo_id"] and second["revision"] == 2


def test_revising_someone_elses_memo_is_not_found(client, admin_headers, writer_headers):
    memo_id = submit(client, admin_headers).json()["data"]["memo_id"]
    response = submit(client, writer_headers, memo_id=memo_id)
    assert response.status_code == 404 and response.json()["errors"][0]["field"] == "memo_id"


def test_a_stronger_sample_scores_higher_through_the_whole_stack(client, writer_headers):
    weak, strong = pairs()[0]
    weak_score = submit(client, writer_headers, weak.text).json()["data"]["overall_score"]
    strong_score = submit(client, writer_headers, strong.text).json()["data"]["overall_score"]
    assert strong_score > weak_score
