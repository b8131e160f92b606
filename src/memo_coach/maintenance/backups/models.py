"""Every verification of a backup, and every restore drill, is a row: health and trends read them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from memo_coach.db.base import Base, UTCDateTime, utcnow

VERIFY, DRILL, RESTORE = "verify", "drill", "restore"


class BackupCheck(Base):
    """One verification (`verify`), restore drill (`drill`) or real restore (`restore`) of a backup.

    The backup files and their manifests on disk are the catalogue (a restore rewrites this table);
    these rows are the history of what was proven about them.
    """

    __tablename__ = "backup_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    backup_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    ok: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(1000), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    duration_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
