"""Marking commented passages in the memo text, and the progress chart's geometry."""

import itertools
from datetime import UTC, datetime, timedelta

from memo_coach.coaching.history import MemoProgress, Progress, ProgressPoint, criterion_changes
from memo_coach.coaching.rubric import Scale
from memo_coach.web.pages.charts import HEIGHT, progress_chart
from memo_coach.web.pages.evaluation_display import Passage, mark_segments


def test_each_quote_is_marked_once_in_text_order_and_the_rest_is_kept():
    text = "One. Two three. Four."
    passages = mark_segments(text, [{"quote": "Four."}, {"quote": "One."}])
    assert passages == [Passage("One.", 2), Passage(" Two three. "), Passage("Four.", 1)]
    assert "".join(p.text for p in passages) == text


def test_an_overlapping_or_missing_quote_is_not_marked():
    passages = mark_segments("Alpha beta gamma.", [{"quote": "Alpha beta"}, {"quote": "beta gamma"}, {"quote": "zeta"}])
    assert [p.number for p in passages] == [1, None]


def test_changes_say_how_each_criterion_moved():
    before = {"rubric_scores": [{"criterion_id": "a", "score": 2}]}
    after = {"rubric_scores": [{"criterion_id": "a", "name": "A", "score": 4}, {"criterion_id": "b", "score": 3}]}
    changes = criterion_changes(before, after)
    assert [(c.name, c.before, c.after, c.delta) for c in changes] == [("A", 2, 4, 2), ("b", None, 3, None)]


def memo(memo_id: int, title: str, start: datetime, scores: list[float]) -> MemoProgress:
    points = [
        ProgressPoint(memo_id * 10 + i, start + timedelta(hours=i), v, {"a": round(v)}) for i, v in enumerate(scores)
    ]
    return MemoProgress(memo_id, title, points)


def test_the_chart_gives_each_memo_its_own_column_from_first_to_latest_score():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    memos = [memo(1, "Budget", start, [2.0, 3.5]), memo(2, "Hiring", start + timedelta(days=2), [4.0])]
    chart = progress_chart(Progress(memos, {"a": "A"}, 3, 3), Scale(min=1, max=5))
    budget, hiring = chart.marks
    assert budget.x < hiring.x  # oldest memo on the left
    assert budget.y_latest < budget.y_first  # revising raised it: the dot sits above the ring
    assert hiring.revisions == 1 and hiring.y_latest < budget.y_latest
    assert budget.y_first == HEIGHT - 44 - (2.0 - 1) / 4 * (HEIGHT - 44 - 16)
    assert budget.tooltip.startswith("Budget: 2.00 → 3.50 over 2 revisions (+1.50;")
    assert budget.href == "/evaluations/11"
    assert [label for _, label in chart.x_labels] == ["1 Jan", "3 Jan"]


def test_many_memos_get_dates_that_do_not_collide():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    memos = [memo(i, f"M{i}", start + timedelta(days=i), [3.0]) for i in range(30)]
    chart = progress_chart(Progress(memos, {}, 30, 30), Scale())
    xs = [x for x, _ in chart.x_labels]
    assert len(xs) <= 8 and chart.x_labels[-1][1] == "30 Jan"  # the newest memo is dated
    assert min(b - a for a, b in itertools.pairwise(xs)) >= 60  # room for "30 Jan" at 16 px


def test_there_is_no_chart_without_points():
    assert progress_chart(Progress([], {}, 0, 0), Scale()) is None
