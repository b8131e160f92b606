"""Support tickets, the messages on them, and the follow-up actions that tickets and reviews produce."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from memo_coach.db.base import Base, UTCDateTime, utcnow

CATEGORIES = ("problem", "question", "evaluation_feedback", "account", "other")
PRIORITIES = ("urgent", "high", "normal", "low")
NEW, TRIAGED, WAITING, RESOLVED, CLOSED = "new", "triaged", "waiting_on_writer", "resolved", "closed"
STATUSES = (NEW, TRIAGED, WAITING, RESOLVED, CLOSED)
OPEN_STATUSES = (NEW, TRIAGED, WAITING)
WRITER_SIDE, SUPPORT_SIDE, SYSTEM_SIDE = "writer", "support", "system"
MAX_DESCRIPTION_CHARS = 5000
MAX_SUMMARY_CHARS = 200


class Ticket(Base):
    __tablename__ = "support_tickets"
    __table_args__ = (
        Index("ix_support_tickets_status", "status"),
        Index("ix_support_tickets_user_created", "user_id", "created_at"),
        Index("ix_support_tickets_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(24))
    priority: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(20), default=NEW)
    summary: Mapped[str] = mapped_column(String(MAX_SUMMARY_CHARS))
    description: Mapped[str] = mapped_column(Text)
    # page, evaluation id, recent request ids, app version, browser: shown to the writer before sending.
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    memo_text: Mapped[str | None] = mapped_column(Text)  # only when the writer ticked the box
    contact_email: Mapped[str | None] = mapped_column(String(254))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    matched_rule: Mapped[str | None] = mapped_column(String(64))  # the triage rule: the ticket's cause
    component: Mapped[str | None] = mapped_column(String(64))
    incident_ref: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    satisfaction: Mapped[int | None] = mapped_column(Integer)  # 1 (poor) to 5 (excellent)
    satisfaction_comment: Mapped[str | None] = mapped_column(String(1000))

    messages: Mapped[list[TicketMessage]] = relationship(
        back_populates="ticket", order_by="TicketMessage.id", cascade="all, delete-orphan"
    )


class TicketMessage(Base):
    __tablename__ = "support_ticket_messages"
    __table_args__ = (Index("ix_support_ticket_messages_ticket", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("support_tickets.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    side: Mapped[str] = mapped_column(String(16))  # writer | support | system
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="messages")


class SupportAction(Base):
    """A follow-up that a ticket or a review produced ("document the 429 fix"); the monthly review counts them."""

    __tablename__ = "support_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("support_tickets.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
