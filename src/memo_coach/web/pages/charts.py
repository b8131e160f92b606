"""The progress chart as hand-written SVG geometry: no chart library, no external service.

Each series has its own dash pattern and marker shape as well as its own colour, so the chart
reads without colour; the page also gives the same numbers as a table.
"""

from __future__ import annotations

from dataclasses import dataclass

from memo_coach.coaching.history import Progress
from memo_coach.coaching.rubric import Scale

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 14, 36
# (colour, dash, marker) per series; the overall score comes first and is drawn thicker.
STYLES = [
    ("#1d2330", "", "circle"),
    ("#1f5fbf", "6 3", "square"),
    ("#b3261e", "2 3", "diamond"),
    ("#1e7a3c", "8 3 2 3", "triangle"),
    ("#8a5a00", "1 3", "circle"),
    ("#6b2fa3", "10 4", "square"),
    ("#00707a", "4 2 1 2", "diamond"),
]


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    dash: str
    marker: str
    width: float
    points: list[tuple[float, float, float]]  # x, y, value

    @property
    def path(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in self.points)

    @property
    def markers(self) -> str:
        """Every point's marker in one SVG path: one element per series keeps a long history cheap to render."""
        return marker_path(self.marker, [(x, y) for x, y, _ in self.points])

    @property
    def legend_marker(self) -> str:
        return marker_path(self.marker, [(22, 6)])


_SHAPES = {
    "circle": "M{x:.1f} {y:.1f}m-3.5 0a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0-7 0z",
    "square": "M{x:.1f} {y:.1f}m-3.5-3.5h7v7h-7z",
    "diamond": "M{x:.1f} {y:.1f}m0-4.5l4.5 4.5-4.5 4.5-4.5-4.5z",
    "triangle": "M{x:.1f} {y:.1f}m0-4.5l4.5 8h-9z",
}


def marker_path(shape: str, points: list[tuple[float, float]]) -> str:
    return "".join(_SHAPES[shape].format(x=x, y=y) for x, y in points)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    series: list[Series]
    y_ticks: list[tuple[float, int]]
    x_labels: list[tuple[float, str, str]]  # x, text, text-anchor
    plot: tuple[int, int, int, int]  # left, top, right, bottom


def progress_chart(progress: Progress, scale: Scale) -> Chart | None:
    """Chart geometry for `progress`, or None when there is nothing to draw yet."""
    points = progress.points
    if not points:
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (i * plot_w / (len(points) - 1) if len(points) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return TOP + (scale.max - value) / (scale.max - scale.min) * plot_h

    columns = [("Overall", [p.overall for p in points])]
    columns += [(name, [p.criteria.get(cid) for p in points]) for cid, name in progress.names.items()]
    series = []
    for n, (name, values) in enumerate(columns):
        colour, dash, marker = STYLES[n % len(STYLES)]
        dots = [(x(i), y(v), v) for i, v in enumerate(values) if v is not None]
        series.append(Series(name, colour, dash, marker, 3.0 if n == 0 else 1.5, dots))
    labels = sorted({0, len(points) // 2, len(points) - 1})
    anchors = {0: "start", len(points) - 1: "end"} if len(points) > 1 else {}
    return Chart(
        WIDTH,
        HEIGHT,
        series,
        [(y(v), v) for v in scale.points],
        [(x(i), points[i].at.strftime("%Y-%m-%d"), anchors.get(i, "middle")) for i in labels],
        (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM),
    )
