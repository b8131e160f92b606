"""The auth capability's health: how many sign-ins are live, for the operator's eye (never a problem)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach.auth.models import UserSession
from memo_coach.component_status import HEALTHY, ComponentStatus


def sessions_health(session: Session, now: datetime) -> ComponentStatus:
    active = session.scalar(select(func.count()).where(UserSession.expires_at > now)) or 0
    return ComponentStatus("auth", HEALTHY, f"{active} active sessions", details={"active_sessions": active})
