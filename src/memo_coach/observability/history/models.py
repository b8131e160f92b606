"""The metric history: one row per (time, resolution, replica, series); raw rows are rolled up and pruned."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from memo_coach.db.base import Base, UTCDateTime


class MetricSample(Base):
    __tablename__ = "metric_samples"
    __table_args__ = (
        Index("ix_metric_samples_series", "name", "resolution", "ts"),
        # One value per point: a rollup that two replicas run at once inserts each bucket only once.
        Index("ix_metric_samples_point", "resolution", "replica", "name", "labels", "ts", unique=True),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ts: Mapped[datetime] = mapped_column(UTCDateTime)
    resolution: Mapped[int] = mapped_column(Integer)  # seconds a row stands for: 0 = one raw sample
    replica: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(64))
    labels: Mapped[str] = mapped_column(String(120), default="")  # one label value, e.g. an error type
    value: Mapped[float] = mapped_column(Float)
