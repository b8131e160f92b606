"""The row the database health check writes, so "healthy" means the database accepts writes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from memo_coach.db.base import Base, UTCDateTime


class HealthProbe(Base):
    __tablename__ = "health_probes"

    replica: Mapped[str] = mapped_column(String(80), primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
