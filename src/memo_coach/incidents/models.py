"""Alert states, the evaluator's lease, incidents with their timeline, notification deliveries, reviews."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from memo_coach.db.base import Base, UTCDateTime, utcnow

# Incident lifecycle, in order.
TRIGGERED, ACKNOWLEDGED, INVESTIGATING, MITIGATED, RESOLVED, REVIEWED = (
    "triggered",
    "acknowledged",
    "investigating",
    "mitigated",
    "resolved",
    "reviewed",
)
LIFECYCLE = (TRIGGERED, ACKNOWLEDGED, INVESTIGATING, MITIGATED, RESOLVED, REVIEWED)
OPEN_STATES = (TRIGGERED, ACKNOWLEDGED, INVESTIGATING, MITIGATED)
# Who may read an incident: operators only, or also writers and anyone on the status page.
INTERNAL, PUBLIC = "internal", "public"
VISIBILITIES = (INTERNAL, PUBLIC)
# Alert rule states (as Prometheus names them).
INACTIVE, PENDING, FIRING = "inactive", "pending", "firing"


class AlertState(Base):
    """One row per rule: where its `for` clock stands and which incident it feeds."""

    __tablename__ = "alert_states"

    rule: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default=INACTIVE)
    since: Mapped[datetime | None] = mapped_column(UTCDateTime)  # start of pending or firing
    value: Mapped[float | None] = mapped_column(Float)
    held: Mapped[bool] = mapped_column(Boolean, default=False)  # firing inside a maintenance window
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AlertEvent(Base):
    """Every firing, clearing and holding of a rule: the alert history (`memo-coach alerts list`)."""

    __tablename__ = "alert_events"
    __table_args__ = (Index("ix_alert_events_rule_at", "rule", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))  # fired | cleared | held
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    value: Mapped[float | None] = mapped_column(Float)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))


class MonitorLease(Base):
    """Claimed with a conditional UPDATE so that one replica at a time evaluates the rules."""

    __tablename__ = "monitor_leases"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(120))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Incident(Base):
    """What happened, for operators. Writers see it only when `visibility` is public, and then only its
    `public_title` and public updates: titles and alert summaries are written for operators and may
    name hosts, addresses or accounts."""

    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_dedup_status", "dedup_key", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(16), default=TRIGGERED, index=True)
    source: Mapped[str] = mapped_column(String(16))  # rule | alertmanager | manual
    dedup_key: Mapped[str] = mapped_column(String(200), default="")
    component: Mapped[str] = mapped_column(String(64), default="service")
    visibility: Mapped[str] = mapped_column(String(16), default=INTERNAL, server_default=INTERNAL)
    public_title: Mapped[str] = mapped_column(String(200), default="", server_default="")
    auto_resolve: Mapped[bool] = mapped_column(Boolean, default=True)
    cause: Mapped[str] = mapped_column(String(120), default="")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IncidentEvent(Base):
    """One line of the timeline; `public` ones appear on the status page, notes stay internal."""

    __tablename__ = "incident_events"
    __table_args__ = (Index("ix_incident_events_incident_at", "incident_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64), default="system")
    message: Mapped[str] = mapped_column(String(2000), default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Notification(Base):
    """One delivery to one channel: the delivery log, and the retry queue with backoff."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    channel: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(32))  # opened | escalated | resolved | test
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Review(Base):
    """The post-incident review: what the timeline cannot say by itself."""

    __tablename__ = "incident_reviews"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), primary_key=True)
    root_cause: Mapped[str] = mapped_column(Text, default="")
    went_well: Mapped[str] = mapped_column(Text, default="")
    went_badly: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ActionItem(Base):
    __tablename__ = "incident_action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(64))
    due: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
