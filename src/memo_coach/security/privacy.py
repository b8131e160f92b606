"""A writer's data: all of it exported as JSON on request, and erased on request once an admin carries
it out. Both are audited. The audit trail itself keeps the username (it cannot be edited without
breaking the chain); the erasure is recorded there, and the retention policies say how long the rest
of the operational data lives."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.audit.models import AuditEvent
from memo_coach.auth.models import LoginAttempt, User, UserSession
from memo_coach.auth.passwords import hash_password
from memo_coach.coaching.models import ChatMessage, Evaluation, Memo
from memo_coach.config_store.versions import active_models
from memo_coach.db.base import utcnow
from memo_coach.errors import Conflict, NotFound
from memo_coach.observability.feedback.models import EvaluationRating
from memo_coach.security.models import ErasureRequest

PENDING, DONE = "pending", "done"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def retention_policies(session: Session) -> dict:
    """How long each kind of data is kept (days; None keeps it), from the active maintenance.yaml."""
    maintenance = active_models(session).get("maintenance")
    policies = maintenance.retention.model_dump() if maintenance else {}
    return {**policies, "audit_events_days": None, "backups": "kept by the backup retention (daily, weekly, monthly)"}


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
    """Deletes the writer's memos, evaluations, chat, ratings, sessions and sign-in attempts, and
    turns the account into a disabled, renamed shell (so ids in the audit trail still resolve)."""
    request = session.get(ErasureRequest, request_id)
    if request is None:
        raise NotFound(f"no erasure request {request_id}")
    if request.status != PENDING:
        raise Conflict(f"erasure request {request_id} was already carried out")
    user = session.get(User, request.user_id)
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
    if user is not None:
        user.username = f"erased-{user.id}"
        user.is_active = False
        user.password_hash = hash_password(secrets.token_urlsafe(32))
    request.status, request.carried_out_by, request.carried_out_at = DONE, actor, utcnow()
    request.summary = counts
    audit.record(session, actor, "privacy.erased", f"user:{request.user_id}", {"deleted": counts})
    return request


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
