"""Marking commented passages in the memo text, and the progress chart's geometry."""

from datetime import UTC, datetime, timedelta

from memo_coach.coaching.history import Progress, ProgressPoint, criterion_changes
from memo_coach.coaching.rubric import Scale
from memo_coach.web.pages.charts import HEIGHT, progress_chart
from memo_coach.web.pages.feedback import Passage, mark_segments


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


def test_the_chart_puts_higher_scores_higher_and_spans_the_points_left_to_right():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    points = [ProgressPoint(i, start + timedelta(days=i), 1.0 + i, {"a": 1 + i}) for i in range(3)]
    chart = progress_chart(Progress(points, {"a": "A"}, 3), Scale(min=1, max=5))
    overall, a = chart.series
    assert [s.name for s in chart.series] == ["Overall", "A"]
    ys = [y for _, y, _ in overall.points]
    assert ys == sorted(ys, reverse=True) and ys[0] == HEIGHT - 36  # the scale's minimum sits on the x axis
    xs = [x for x, _, _ in a.points]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert chart.x_labels[0][1:] == ("2026-01-01", "start") and chart.x_labels[-1][1:] == ("2026-01-03", "end")
    assert len({(s.dash, s.marker) for s in chart.series}) == 2  # told apart without colour


def test_there_is_no_chart_without_points():
    assert progress_chart(Progress([], {}, 0), Scale()) is None
