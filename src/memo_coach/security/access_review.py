"""Access reviews (monthly task and on demand): every account with its role, last sign-in and last
activity, with the ones an auditor asks about flagged; an admin signs the review off, and the signed
row is the evidence."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.audit.models import AuditEvent
from memo_coach.auth.models import User
from memo_coach.auth.roles import Role
from memo_coach.db.base import utcnow
from memo_coach.errors import Conflict, Forbidden, NotFound
from memo_coach.security.models import AccessReview

DORMANT_DAYS = 90
MAX_ADMINS = 3
PRIVILEGED = (Role.operator.value, Role.admin.value)


def _last_activity(session: Session) -> dict[str, datetime]:
    rows = session.execute(select(AuditEvent.actor, func.max(AuditEvent.at)).group_by(AuditEvent.actor))
    return {actor: at for actor, at in rows}


def account_rows(session: Session, now: datetime) -> list[dict]:
    activity = _last_activity(session)
    dormant_before = now - timedelta(days=DORMANT_DAYS)
    rows = []
    for user in session.scalars(select(User).order_by(User.username)):
        flags = []
        if user.is_active and user.last_login_at is None:
            flags.append("never_used")
        elif user.is_active and user.last_login_at < dormant_before:
            flags.append("dormant")
        if user.is_active and user.must_change_password:
            flags.append("initial_password")
        rows.append(
            {
                "username": user.username,
                "role": user.role,
                "active": user.is_active,
                "created_at": user.created_at.isoformat(),
                "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
                "last_activity_at": activity[user.username].isoformat() if user.username in activity else None,
                "flags": flags,
            }
        )
    return rows


def build_report(session: Session, now: datetime) -> dict:
    accounts = account_rows(session, now)
    admins = [a["username"] for a in accounts if a["active"] and a["role"] == Role.admin.value]
    findings = [f"{a['username']}: {flag}" for a in accounts for flag in a["flags"]]
    if len(admins) > MAX_ADMINS:
        findings.append(f"too many admins: {len(admins)} (at most {MAX_ADMINS} expected)")
    return {
        "at": now.isoformat(),
        "accounts": accounts,
        "privileged": [a["username"] for a in accounts if a["active"] and a["role"] in PRIVILEGED],
        "admins": admins,
        "too_many_admins": len(admins) > MAX_ADMINS,
        "findings": findings,
    }


def start_review(session: Session, now: datetime, trigger: str, actor: str) -> AccessReview:
    review = AccessReview(created_at=now, trigger=trigger, report=build_report(session, now), note="")
    session.add(review)
    session.flush()
    audit.record(session, actor, "security.access_review_started", f"access_review:{review.id}")
    return review


def sign_off(session: Session, review_id: int, signer: User, note: str = "") -> AccessReview:
    """An admin confirms every listed account was looked at (and what was done, in the note)."""
    review = session.get(AccessReview, review_id)
    if review is None:
        raise NotFound(f"no access review {review_id}")
    if signer.role != Role.admin.value:
        raise Forbidden("only an admin signs off an access review")
    if review.signed_off_by:
        raise Conflict(f"access review {review_id} was already signed off by {review.signed_off_by}")
    review.signed_off_by, review.signed_off_at, review.note = signer.username, utcnow(), note[:1000]
    audit.record(session, signer.username, "security.access_review_signed", f"access_review:{review.id}")
    return review


def reviews(session: Session, limit: int = 24) -> list[AccessReview]:
    return list(session.scalars(select(AccessReview).order_by(AccessReview.id.desc()).limit(limit)))


def review_view(review: AccessReview, full: bool = False) -> dict:
    view = {
        "id": review.id,
        "created_at": review.created_at.isoformat(),
        "trigger": review.trigger,
        "accounts": len(review.report.get("accounts", [])),
        "findings": review.report.get("findings", []),
        "signed_off_by": review.signed_off_by,
        "signed_off_at": review.signed_off_at.isoformat() if review.signed_off_at else None,
        "note": review.note,
    }
    return {**view, "report": review.report} if full else view
