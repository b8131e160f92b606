"""Memos and their evaluations; a memo's revisions are its evaluations in order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memo_coach.db.base import Base, UTCDateTime, utcnow

PENDING, COMPLETED, FAILED = "pending", "completed", "failed"


class Memo(Base):
    __tablename__ = "memos"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never come back after a restore

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    evaluations: Mapped[list[Evaluation]] = relationship(back_populates="memo", order_by="Evaluation.revision")


class Evaluation(Base):
    __tablename__ = "evaluations"
    __table_args__ = (
        Index("ix_evaluations_user_created", "user_id", "created_at"),
        Index("ix_evaluations_status", "status"),
        Index("ix_evaluations_idempotency", "user_id", "idempotency_key", unique=True),
        {"sqlite_autoincrement": True},  # ids never come back after a restore
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    memo_id: Mapped[int] = mapped_column(ForeignKey("memos.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    text_content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    provider: Mapped[str | None] = mapped_column(String(32))
    model: Mapped[str | None] = mapped_column(String(100))
    degraded: Mapped[bool] = mapped_column(Boolean, default=False)
    degraded_reason: Mapped[str | None] = mapped_column(String(500))
    overall_score: Mapped[float | None] = mapped_column(Float)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    dropped_quotes: Mapped[int] = mapped_column(Integer, default=0)
    latency_ms: Mapped[float | None] = mapped_column(Float)
    rubric_version_id: Mapped[int | None] = mapped_column(ForeignKey("config_versions.id"))
    prompt_version_id: Mapped[int | None] = mapped_column(ForeignKey("config_versions.id"))
    error: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The evaluation is a job: whoever holds an unexpired lease runs it; anyone may take an expired one.
    idempotency_key: Mapped[str | None] = mapped_column(String(128))
    lease_owner: Mapped[str | None] = mapped_column(String(120))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memo: Mapped[Memo] = relationship(back_populates="evaluations")


WRITER, COACH = "writer", "coach"


class ChatMessage(Base):
    """One turn of the follow-up conversation about an evaluation; `offline` marks answers given without an LLM."""

    __tablename__ = "chat_messages"
    __table_args__ = (Index("ix_chat_messages_evaluation", "evaluation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    offline: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
