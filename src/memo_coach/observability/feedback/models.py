"""Writers' ratings of their evaluations: one per evaluation, changed in place when re-rated."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from memo_coach.db.base import Base, UTCDateTime, utcnow

MAX_COMMENT_CHARS = 1000


class EvaluationRating(Base):
    __tablename__ = "evaluation_ratings"
    __table_args__ = (Index("ix_evaluation_ratings_rated_at", "rated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    helpful: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(String(MAX_COMMENT_CHARS))
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
