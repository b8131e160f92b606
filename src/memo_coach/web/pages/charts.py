"""The history chart as SVG geometry drawn by the app: no chart library, no external service.

One column per memo, oldest on the left: a hollow ring at its first evaluated score, a filled dot
at its latest, joined by a bar when revising moved it. Two memos are never joined by a line, so
the chart shows both how each memo improved and where the writer's memos end up over time.
Every mark carries its values as a tooltip, and the page gives the same numbers as a list.
"""

from __future__ import annotations

from dataclasses import dataclass

from memo_coach.coaching.history import MemoProgress, Progress
from memo_coach.coaching.rubric import Scale

WIDTH, HEIGHT = 720, 280
# Drawn again for phones, so its type is not shrunk to a few pixels when the wide one is scaled down.
COMPACT = (400, 300)
LEFT, RIGHT, TOP, BOTTOM = 44, 20, 16, 44
# Room for one date label ("30 Jan" at 16 px) per this many units of width, so labels never collide.
LABEL_SPACE = 80


@dataclass(frozen=True)
class MemoMark:
    x: float
    y_first: float
    y_latest: float
    revisions: int
    tooltip: str
    href: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    marks: list[MemoMark]
    y_ticks: list[tuple[float, int]]
    x_labels: list[tuple[float, str]]
    plot: tuple[int, int, int, int]  # left, top, right, bottom


def short_date(memo: MemoProgress) -> str:
    return f"{memo.latest.at.day} {memo.latest.at:%b}"


def tooltip(memo: MemoProgress) -> str:
    when = f"{memo.latest.at:%-d %b %Y, %H:%M} UTC"
    if len(memo.revisions) == 1:
        return f"{memo.title}: {memo.latest.overall:.2f} ({when})"
    return (
        f"{memo.title}: {memo.first.overall:.2f} → {memo.latest.overall:.2f} over "
        f"{len(memo.revisions)} revisions ({memo.change:+.2f}; latest {when})"
    )


def progress_chart(progress: Progress, scale: Scale, width: int = WIDTH, height: int = HEIGHT) -> Chart | None:
    """Chart geometry for `progress` in a width x height box, or None when there is nothing to draw yet."""
    memos = progress.memos
    if not memos:
        return None
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    step = plot_w / len(memos)

    def y(value: float) -> float:
        return TOP + (scale.max - value) / (scale.max - scale.min) * plot_h

    marks = [
        MemoMark(
            LEFT + step * (i + 0.5),
            y(m.first.overall),
            y(m.latest.overall),
            len(m.revisions),
            tooltip(m),
            f"/evaluations/{m.latest.evaluation_id}",
        )
        for i, m in enumerate(memos)
    ]
    every = -(-len(memos) // max(1, plot_w // LABEL_SPACE))
    labelled = list(range(0, len(memos), every))
    labelled[-1] = len(memos) - 1  # the newest memo is always dated, in place of its neighbour
    return Chart(
        width,
        height,
        marks,
        [(y(v), v) for v in scale.points],
        [(marks[i].x, short_date(memos[i])) for i in labelled],
        (LEFT, TOP, width - RIGHT, height - BOTTOM),
    )
