"""A writer's data: all of it exported as JSON on request, and erased on request once an admin carries
it out. Both are audited. The audit trail itself keeps the username (it cannot be edited without
breaking the chain); the erasure is recorded there, and the retention policies say how long the rest
of the operational data lives.

Erased means gone from the files too, not only from query results. On SQLite the erasure's connection
zeroes what it deletes (`secure_delete`), and once the erasure is committed the WAL, which still holds
the pages as they were, is checkpointed and truncated. Backups made before keep the text until the
backup retention drops the last of them (`backup_days`). Capabilities above this one (support's
tickets) hold writers' data too: they register a `PersonalData` so that export and erasure cover it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.audit.models import AuditEvent
from memo_coach.auth.models import LoginAttempt, User, UserSession
from memo_coach.auth.passwords import hash_password
from memo_coach.auth.users import refuse_removing_last_admin
from memo_coach.coaching.models import ChatMessage, Evaluation, Memo
from memo_coach.config_store.versions import active_models
from memo_coach.db.base import utcnow
from memo_coach.errors import Conflict, NotFound
from memo_coach.maintenance.upkeep.database import checkpoint_if_large, is_sqlite
from memo_coach.observability.feedback.models import EvaluationRating
from memo_coach.security.models import ErasureRequest

log = logging.getLogger(__name__)
PENDING, DONE = "pending", "done"


@dataclass(frozen=True)
class PersonalData:
    """A writer's data kept by a capability this module may not import: under `name` in the export,
    and counted by table in the erasure's summary."""

    name: str
    export: Callable[[Session, int], list[dict[str, Any]]]  # (session, user id) -> JSON-ready rows
    erase: Callable[[Session, int], dict[str, int]]  # (session, user id) -> rows changed, by table


HOLDERS: dict[str, PersonalData] = {}


def register_personal_data(holder: PersonalData) -> None:
    """Called by the assembly: an export or erasure that missed a holder would silently keep its data."""
    HOLDERS[holder.name] = holder


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def backup_days(keep_daily: int, keep_weekly: int, keep_monthly: int) -> int:
    """At most how many days a backup is kept, so how long text erased today may live on in one: the
    newest backup of each of the last `keep_monthly` months outlives the daily and weekly ones."""
    return max(keep_daily, 7 * keep_weekly, 31 * keep_monthly)


def retention_policies(session: Session) -> dict:
    """How long each kind of data is kept (days; None keeps it), from the active maintenance.yaml."""
    maintenance = active_models(session).get("maintenance")
    policies = maintenance.retention.model_dump() if maintenance else {}
    kept = maintenance.backups if maintenance else None
    return {
        **policies,
        "audit_events_days": None,
        "backups": "kept by the backup retention (daily, weekly, monthly); erased data lives on in older backups",
        "backup_days": backup_days(kept.keep_daily, kept.keep_weekly, kept.keep_monthly) if kept else None,
    }


def export_user_data(session: Session, user: User, *, actor: str) -> dict:
    """Everything stored about one account, as plain JSON-ready data (no password hash, no token)."""
    memos = session.scalars(select(Memo).where(Memo.user_id == user.id).order_by(Memo.id))
    evaluations = session.scalars(select(Evaluation).where(Evaluation.user_id == user.id).order_by(Evaluation.id))
    chats = session.scalars(select(ChatMessage).where(ChatMessage.user_id == user.id).order_by(ChatMessage.id))
    ratings = session.scalars(select(EvaluationRating).where(EvaluationRating.user_id == user.id))
    attempts = session.scalars(select(LoginAttempt).where(LoginAttempt.username == user.username.lower()))
    events = session.scalars(select(AuditEvent).where(AuditEvent.actor == user.username).order_by(AuditEvent.id))
    data = {
        "exported_at": utcnow().isoformat(),
        "account": {
            "username": user.username,
            "role": user.role,
            "active": user.is_active,
            "language": user.language,  # the pages' language the writer chose; None follows the browser
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
            "password_changed_at": _iso(user.password_changed_at),
        },
        "memos": [{"id": m.id, "title": m.title, "created_at": _iso(m.created_at)} for m in memos],
        "evaluations": [
            {
                "id": e.id,
                "memo_id": e.memo_id,
                "revision": e.revision,
                "text": e.text_content,
                "status": e.status,
                "overall_score": e.overall_score,
                "result": e.result,
                "created_at": _iso(e.created_at),
            }
            for e in evaluations
        ],
        "chat_messages": [
            {"evaluation_id": c.evaluation_id, "role": c.role, "content": c.content, "at": _iso(c.created_at)}
            for c in chats
        ],
        "ratings": [{"evaluation_id": r.evaluation_id, "helpful": r.helpful, "comment": r.comment} for r in ratings],
        "sessions": [
            {"created_at": _iso(s.created_at), "expires_at": _iso(s.expires_at), "client_address": s.client_address}
            for s in user.sessions
        ],
        "sign_in_attempts": [{"at": _iso(a.at), "client": a.client_address, "ok": a.succeeded} for a in attempts],
        "audit_events": [{"at": _iso(e.at), "action": e.action, "target": e.target} for e in events],
        **{holder.name: holder.export(session, user.id) for holder in HOLDERS.values()},
        "retention": retention_policies(session),
    }
    audit.record(session, actor, "privacy.exported", user.username)
    return data


def request_erasure(session: Session, user: User) -> ErasureRequest:
    waiting = session.scalar(
        select(ErasureRequest).where(ErasureRequest.user_id == user.id, ErasureRequest.status == PENDING)
    )
    if waiting is not None:
        return waiting
    request = ErasureRequest(user_id=user.id, username=user.username, status=PENDING, summary={})
    session.add(request)
    session.flush()
    audit.record(session, user.username, "privacy.erasure_requested", user.username, {"request": request.id})
    return request


def pending_erasures(session: Session) -> list[ErasureRequest]:
    return list(session.scalars(select(ErasureRequest).where(ErasureRequest.status == PENDING)))


def carry_out_erasure(session: Session, request_id: int, *, actor: str) -> ErasureRequest:
    """Deletes the writer's memos, evaluations, chat, ratings, sessions and sign-in attempts, lets each
    registered holder erase its part (tickets), and turns the account into a disabled, renamed shell
    (so ids in the audit trail still resolve). The caller commits; the WAL is emptied after that."""
    request = session.get(ErasureRequest, request_id)
    if request is None:
        raise NotFound(f"no erasure request {request_id}")
    if request.status != PENDING:
        raise Conflict(f"erasure request {request_id} was already carried out")
    user = session.get(User, request.user_id)
    if user is not None:
        refuse_removing_last_admin(session, user, user.role, False)
    _zero_what_is_deleted(session)
    counts = {}
    for model, where in (
        (EvaluationRating, EvaluationRating.user_id == request.user_id),
        (ChatMessage, ChatMessage.user_id == request.user_id),
        (Evaluation, Evaluation.user_id == request.user_id),
        (Memo, Memo.user_id == request.user_id),
        (UserSession, UserSession.user_id == request.user_id),
        (LoginAttempt, LoginAttempt.username == request.username.lower()),
    ):
        counts[model.__tablename__] = session.execute(delete(model).where(where)).rowcount or 0
    for holder in HOLDERS.values():
        counts |= holder.erase(session, request.user_id)
    if user is not None:
        user.username = f"erased-{user.id}"
        user.is_active = False
        user.password_hash = hash_password(secrets.token_urlsafe(32))
    request.status, request.carried_out_by, request.carried_out_at = DONE, actor, utcnow()
    request.summary = counts
    audit.record(session, actor, "privacy.erased", f"user:{request.user_id}", {"deleted": counts})
    event.listen(session, "after_commit", _empty_the_wal, once=True)
    return request


def _zero_what_is_deleted(session: Session) -> None:
    """SQLite otherwise leaves deleted and overwritten rows in the file's free space until reused."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA secure_delete = ON")


def _empty_the_wal(session: Session) -> None:
    """The WAL keeps the pages as they were before the erasure until a checkpoint overwrites the file and
    TRUNCATE empties it. PostgreSQL has no such step in reach of the app: its WAL segments are recycled
    at its own checkpoints and archived ones expire with the archive (docs/security.md)."""
    engine = session.get_bind()
    if not is_sqlite(engine):
        return
    result = checkpoint_if_large(engine, 0)
    if result.get("busy") or result.get("wal_bytes_after"):
        # A long reader kept the WAL from being emptied; the wal_checkpoint task truncates it later.
        log.warning("WAL not emptied after an erasure", extra={"wal_bytes": result.get("wal_bytes_after")})


def erasure_view(request: ErasureRequest) -> dict:
    return {
        "id": request.id,
        "username": request.username,
        "requested_at": _iso(request.requested_at),
        "status": request.status,
        "carried_out_by": request.carried_out_by,
        "carried_out_at": _iso(request.carried_out_at),
        "deleted": request.summary,
    }
