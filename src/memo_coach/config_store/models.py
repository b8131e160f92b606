"""Every applied configuration is a version row; replicas trust the active row, not their disk."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from memo_coach.db.base import Base, UTCDateTime, utcnow


class ConfigVersion(Base):
    __tablename__ = "config_versions"
    __table_args__ = (
        UniqueConstraint("name", "number", name="uq_config_versions_name_number"),
        Index("ix_config_versions_name_active", "name", "is_active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32))
    number: Mapped[int] = mapped_column(Integer)
    checksum: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Unified diff from the version before (empty for a first version), kept so history reads without recomputing.
    diff: Mapped[str] = mapped_column(Text, default="", server_default="")


PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


class ConfigProposal(Base):
    """A change waiting for a second admin when auth.yaml sets require_approval."""

    __tablename__ = "config_proposals"
    __table_args__ = (Index("ix_config_proposals_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32))
    base_number: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version_number: Mapped[int | None] = mapped_column(Integer)
