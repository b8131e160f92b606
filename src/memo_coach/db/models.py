"""Imports every concept's models so Alembic and create-time code see one metadata."""

from memo_coach.auth.models import LoginAttempt, User, UserSession
from memo_coach.coaching.models import Evaluation, Memo
from memo_coach.config_store.models import ConfigVersion
from memo_coach.db.base import Base
from memo_coach.ops.feedback.models import EvaluationRating
from memo_coach.ops.health.models import HealthProbe
from memo_coach.ops.history.models import MetricSample
from memo_coach.ops.models import AuditEvent

__all__ = [
    "AuditEvent",
    "Base",
    "ConfigVersion",
    "Evaluation",
    "EvaluationRating",
    "HealthProbe",
    "LoginAttempt",
    "Memo",
    "MetricSample",
    "User",
    "UserSession",
]
