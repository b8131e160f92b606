"""Reading a long stretch of one history series: raw samples where they are kept, 5-minute means before."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from memo_coach.observability.history.rollup import RAW
from memo_coach.observability.history.series import series_epochs

COARSE = 300  # seconds one row of the 5-minute tier stands for


def load_points(
    session: Session, name: str, label: str, start: datetime, end: datetime
) -> tuple[list[tuple[float, float]], float]:
    """(epoch seconds, value) points: the 5-minute tier up to where raw samples begin, then the raw
    samples; and the time raw samples begin."""
    raw = series_epochs(session, name, start, end, RAW, label)
    raw_start = datetime.fromtimestamp(raw[0][0], UTC) if raw else end
    older = series_epochs(session, name, start, raw_start, COARSE, label)
    return [(float(t), v) for t, v in older + raw], raw_start.timestamp()
