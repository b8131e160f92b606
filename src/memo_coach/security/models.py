"""Evidence the security capability keeps: access reviews with their sign-off, and erasure requests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from memo_coach.db.base import Base, UTCDateTime, utcnow


class AccessReview(Base):
    """Every account with its role and activity at one moment, and the admin who signed it off."""

    __tablename__ = "access_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    trigger: Mapped[str] = mapped_column(String(16))  # schedule | on_demand
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    signed_off_by: Mapped[str | None] = mapped_column(String(64))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(1000), default="")


class ErasureRequest(Base):
    """A writer's request to erase their data; an admin carries it out (both audited)."""

    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(index=True)  # no foreign key: the row outlives the erased account
    username: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | done
    carried_out_by: Mapped[str | None] = mapped_column(String(64))
    carried_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
