"""Small SVG line charts drawn by the app itself (no scripts, no CDN), readable without colour.

The console draws interactive charts with its script; these are what a browser without
JavaScript, or a link shared in a ticket, shows.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from memo_coach.observability.units import human

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_Y = 640, 180, 64, 12, 22


def line_chart(
    title: str,
    points: list[tuple[datetime, float]],
    start: datetime,
    end: datetime,
    unit: str = "",
    per: str | None = None,
) -> str:
    """An SVG document: the series as a line over [start, end], min and max on the y axis (a rate's
    both in the one time unit `per`)."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff" stroke="#d9dde5"/>'
    )
    if not points:
        return (
            head
            + f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="#5b6475">no data yet</text></svg>'
        )
    low, high = min(v for _, v in points), max(v for _, v in points)
    low = min(low, 0.0)
    span_v = (high - low) or 1.0
    span_t = (end - start).total_seconds() or 1.0
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - 2 * PAD_Y

    def xy(ts: datetime, v: float) -> str:
        x = PAD_LEFT + plot_w * max(0.0, min(1.0, (ts - start).total_seconds() / span_t))
        y = PAD_Y + plot_h * (1 - (v - low) / span_v)
        return f"{x:.1f},{y:.1f}"

    line = " ".join(xy(ts, v) for ts, v in points)
    labels = (
        f'<text x="{PAD_LEFT - 6}" y="{PAD_Y + 4}" text-anchor="end" font-size="13">{human(high, unit, per)}</text>'
        f'<text x="{PAD_LEFT - 6}" y="{HEIGHT - PAD_Y + 4}" text-anchor="end" font-size="13">{human(low, unit, per)}</text>'
        f'<text x="{PAD_LEFT}" y="{HEIGHT - 4}" font-size="13">{start:%-d %b %H:%M}</text>'
        f'<text x="{WIDTH - PAD_RIGHT}" y="{HEIGHT - 4}" text-anchor="end" font-size="13">{end:%-d %b %H:%M} UTC</text>'
    )
    axis = f'<line x1="{PAD_LEFT}" y1="{PAD_Y}" x2="{PAD_LEFT}" y2="{HEIGHT - PAD_Y}" stroke="#5b6475"/>'
    return head + axis + labels + f'<polyline fill="none" stroke="#1f5fbf" stroke-width="2" points="{line}"/></svg>'
