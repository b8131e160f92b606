"""Imports every concept's models so Alembic and create-time code see one metadata."""

from memo_coach.auth.models import LoginAttempt, User, UserSession
from memo_coach.coaching.models import ChatMessage, Evaluation, Memo
from memo_coach.config_store.models import ConfigProposal, ConfigVersion
from memo_coach.db.base import Base
from memo_coach.ops.models import AuditEvent

__all__ = [
    "AuditEvent",
    "Base",
    "ChatMessage",
    "ConfigProposal",
    "ConfigVersion",
    "Evaluation",
    "LoginAttempt",
    "Memo",
    "User",
    "UserSession",
]
