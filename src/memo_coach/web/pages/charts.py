"""The history chart as SVG geometry drawn by the app: no chart library, no external service.

One column per memo, oldest on the left: a hollow ring at its first evaluated score, a filled dot
at its latest, joined by a bar when revising moved it. Two memos are never joined by a line, so
the chart shows both how each memo improved and where the writer's memos end up over time.
Every mark carries its values as a tooltip, and the page gives the same numbers as a list.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from memo_coach.coaching.history import MemoProgress, Progress
from memo_coach.coaching.rubric import Scale
from memo_coach.i18n import ENGLISH, gettext_for

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


def short_date(memo: MemoProgress, language: str = ENGLISH) -> str:
    return format_date(memo.latest.at, "d MMM", locale=language)


def tooltip(memo: MemoProgress, language: str = ENGLISH) -> str:
    """The mark's numbers in the page's language ("4.05" in English is "4,05" in Spanish)."""
    _ = gettext_for(language)
    when = format_datetime(memo.latest.at, "d MMM y, HH:mm", locale=language) + " UTC"
    first, latest = (format_decimal(v, "0.00", locale=language) for v in (memo.first.overall, memo.latest.overall))
    if len(memo.revisions) == 1:
        return f"{memo.title}: {latest} ({when})"
    return _("%(title)s: %(first)s → %(latest)s over %(count)s revisions (%(change)s; latest %(when)s)") % {
        "title": memo.title,
        "first": first,
        "latest": latest,
        "count": len(memo.revisions),
        "change": format_decimal(memo.change, "+0.00;-0.00", locale=language),
        "when": when,
    }


def progress_chart(
    progress: Progress, scale: Scale, width: int = WIDTH, height: int = HEIGHT, *, language: str = ENGLISH
) -> Chart | None:
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
            tooltip(m, language),
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
        [(marks[i].x, short_date(memos[i], language)) for i in labelled],
        (LEFT, TOP, width - RIGHT, height - BOTTOM),
    )
