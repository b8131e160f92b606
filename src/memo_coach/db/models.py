"""Imports every concept's models so Alembic and create-time code see one metadata."""

from memo_coach.auth.models import LoginAttempt, User, UserSession
from memo_coach.coaching.models import ChatMessage, Evaluation, Memo
from memo_coach.config_store.models import ConfigProposal, ConfigVersion
from memo_coach.db.base import Base
from memo_coach.ops.backups.models import BackupCheck
from memo_coach.ops.feedback.models import EvaluationRating
from memo_coach.ops.health.models import HealthProbe
from memo_coach.ops.history.models import MetricSample
from memo_coach.ops.maintenance.models import MaintenanceWindow
from memo_coach.ops.models import AuditEvent
from memo_coach.ops.scheduler.models import TaskLease, TaskRun
from memo_coach.ops.upkeep.models import Archive

__all__ = [
    "Archive",
    "AuditEvent",
    "BackupCheck",
    "Base",
    "ChatMessage",
    "ConfigProposal",
    "ConfigVersion",
    "Evaluation",
    "EvaluationRating",
    "HealthProbe",
    "LoginAttempt",
    "MaintenanceWindow",
    "Memo",
    "MetricSample",
    "TaskLease",
    "TaskRun",
    "User",
    "UserSession",
]
