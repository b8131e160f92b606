"""Writers rate their evaluations (helpful or not, with an optional comment); operators see the trend."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from memo_coach.auth.models import User
from memo_coach.coaching.models import COMPLETED, Evaluation
from memo_coach.db.base import utcnow
from memo_coach.errors import Conflict, InvalidInput, NotFound
from memo_coach.observability.feedback.models import MAX_COMMENT_CHARS, EvaluationRating
from memo_coach.observability.metrics import RATINGS


def rate_evaluation(
    session: Session, evaluation_id: int, writer: User, helpful: bool, comment: str | None
) -> EvaluationRating:
    """Stores (or replaces) the owner's rating; only the writer who submitted the memo may rate it."""
    ev = session.get(Evaluation, evaluation_id)
    if ev is None or ev.user_id != writer.id:
        raise NotFound(f"no evaluation {evaluation_id} of yours")
    if ev.status != COMPLETED:
        raise Conflict("only a finished evaluation can be rated", code="not_completed")
    comment = (comment or "").strip() or None
    if comment and len(comment) > MAX_COMMENT_CHARS:
        raise InvalidInput(f"the comment is longer than {MAX_COMMENT_CHARS:,} characters", field="comment")
    rating = rating_for(session, evaluation_id)
    if rating is None:
        rating = EvaluationRating(evaluation_id=evaluation_id, user_id=writer.id)
        session.add(rating)
    rating.helpful, rating.comment, rating.rated_at = helpful, comment, utcnow()
    session.flush()
    RATINGS.labels("true" if helpful else "false").inc()
    return rating


def rating_view(rating: EvaluationRating) -> dict[str, Any]:
    return {
        "evaluation_id": rating.evaluation_id,
        "helpful": rating.helpful,
        "comment": rating.comment,
        "rated_at": rating.rated_at.isoformat(),
    }


def satisfaction(session: Session, now: datetime, days: int = 30, recent: int = 5) -> dict[str, Any]:
    """Share of helpful ratings over the last `days`, and the newest comments (no names)."""
    since = now - timedelta(days=days)
    total, helpful = session.execute(
        select(func.count(), func.coalesce(func.sum(case((EvaluationRating.helpful, 1), else_=0)), 0)).where(
            EvaluationRating.rated_at >= since
        )
    ).one()
    comments = session.execute(
        select(EvaluationRating.helpful, EvaluationRating.comment, EvaluationRating.rated_at)
        .where(EvaluationRating.comment.is_not(None), EvaluationRating.rated_at >= since)
        .order_by(EvaluationRating.rated_at.desc())
        .limit(recent)
    ).all()
    return {
        "days": days,
        "ratings": total,
        "helpful": helpful,
        "helpful_ratio": round(helpful / total, 3) if total else None,
        "recent_comments": [{"helpful": h, "comment": c, "rated_at": at.isoformat()} for h, c, at in comments],
    }


def rating_for(session: Session, evaluation_id: int) -> EvaluationRating | None:
    return session.scalar(select(EvaluationRating).where(EvaluationRating.evaluation_id == evaluation_id))
