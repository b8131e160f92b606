"""Evaluating a memo: store it first, evaluate outside any transaction, store the result.

A crash between the two writes leaves a `pending` row that `resume_pending` finishes later,
so nothing a writer sent is ever lost.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.auth.models import User
from memo_coach.auth.roles import Role
from memo_coach.coaching.evaluators import EvaluatorChoice
from memo_coach.coaching.models import COMPLETED, FAILED, PENDING, Evaluation, Memo
from memo_coach.coaching.result import weighted_score
from memo_coach.coaching.text_input import require_text
from memo_coach.coaching.titles import memo_title
from memo_coach.config_store.versions import ActiveConfig, ConfigCache
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.errors import NotFound

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


def clean_text(text: str, max_chars: int) -> str:
    """Normalises line endings and refuses what cannot be a memo, naming the field."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return require_text(text, max_chars, field="text_content", noun="memo", code="text")


def title_of(text: str) -> str:
    return memo_title(text)


class Coach:
    """The evaluation service; one per process, shared by the API, pages, CLI and scheduler."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        max_chars: int,
        evaluators: EvaluatorChoice,
        on_evaluated: Callable[[str, str, float], None] | None = None,
    ) -> None:
        """`on_evaluated(provider, outcome, seconds)` hears of every finished evaluation (metrics);
        outcome is completed, degraded or failed."""
        self.sessions = sessions
        self.max_chars = max_chars
        self.evaluators = evaluators
        self.config = ConfigCache()
        self._on_evaluated = on_evaluated

    def submit(self, user_id: int, text: str, memo_id: int | None = None) -> Evaluation:
        text = clean_text(text, self.max_chars)
        with session_scope(self.sessions) as session:
            snapshot = self.config.current(session)
            evaluation = self._store_pending(session, user_id, text, memo_id, snapshot)
        return self._run(evaluation.id, text, snapshot)

    def _store_pending(
        self, session: Session, user_id: int, text: str, memo_id: int | None, snapshot: ActiveConfig
    ) -> Evaluation:
        if memo_id is None:
            memo = Memo(user_id=user_id, title=title_of(text))
            session.add(memo)
            session.flush()
        else:
            memo = session.get(Memo, memo_id)
            if memo is None or memo.user_id != user_id:
                raise NotFound(f"no memo {memo_id} of yours", field="memo_id")
        revision = (session.scalar(select(func.max(Evaluation.revision)).where(Evaluation.memo_id == memo.id)) or 0) + 1
        evaluation = Evaluation(
            memo_id=memo.id,
            user_id=user_id,
            revision=revision,
            text_content=text,
            status=PENDING,
            attempts=1,
            rubric_version_id=snapshot.version_ids.get("rubric"),
            prompt_version_id=snapshot.version_ids.get("prompt"),
        )
        session.add(evaluation)
        session.flush()
        return evaluation

    def _run(self, evaluation_id: int, text: str, snapshot: ActiveConfig) -> Evaluation:
        started = time.perf_counter()
        try:
            outcome = self.evaluators.evaluate(text, snapshot)
        except Exception as exc:
            log.exception("evaluation %s failed", evaluation_id)
            with session_scope(self.sessions) as session:
                ev = session.get(Evaluation, evaluation_id)
                ev.status, ev.error = FAILED, f"{type(exc).__name__}: {exc}"[:1000]
            self._report("unknown", FAILED, started)
            raise
        latency_ms = round((time.perf_counter() - started) * 1000, 2)
        with session_scope(self.sessions) as session:
            ev = session.get(Evaluation, evaluation_id)
            self._complete(ev, outcome, latency_ms, snapshot)
        self._report(outcome.evaluated.provider, "degraded" if outcome.degraded_reason else COMPLETED, started)
        return ev

    def _report(self, provider: str, outcome: str, started: float) -> None:
        if self._on_evaluated is None:
            return
        try:
            self._on_evaluated(provider, outcome, time.perf_counter() - started)
        except Exception:  # a broken metrics hook must never fail an evaluation
            log.exception("on_evaluated hook failed")

    @staticmethod
    def _complete(ev: Evaluation, outcome, latency_ms: float, snapshot: ActiveConfig) -> None:
        evaluated, rubric = outcome.evaluated, snapshot.rubric
        criteria = {c.id: c for c in rubric.criteria}
        result = evaluated.result.model_dump()
        for item in result["rubric_scores"]:  # names and weights frozen with the result, for history
            item["name"] = criteria[item["criterion_id"]].name
            item["weight"] = criteria[item["criterion_id"]].weight
        ev.result = result
        ev.overall_score = weighted_score(evaluated.result, rubric)
        ev.provider, ev.model = evaluated.provider, evaluated.model
        ev.dropped_quotes = evaluated.dropped_quotes
        ev.degraded = outcome.degraded_reason is not None
        ev.degraded_reason = outcome.degraded_reason
        ev.latency_ms = latency_ms
        ev.status, ev.completed_at, ev.error = COMPLETED, utcnow(), None

    def resume_pending(self, older_than_seconds: float = 300) -> int:
        """Finishes evaluations a crash left pending; each is claimed by a conditional update so
        two replicas never run the same one."""
        cutoff = utcnow() - timedelta(seconds=older_than_seconds)
        with session_scope(self.sessions) as session:
            rows = session.execute(
                select(Evaluation.id, Evaluation.attempts, Evaluation.text_content).where(
                    Evaluation.status == PENDING, Evaluation.created_at < cutoff
                )
            ).all()
        done = 0
        for ev_id, attempts, text in rows:
            if self._claim(ev_id, attempts):
                try:
                    with session_scope(self.sessions) as session:
                        snapshot = self.config.current(session)
                    self._run(ev_id, text, snapshot)
                    done += 1
                except Exception:  # recorded as failed on the row by _run
                    continue
        return done

    def _claim(self, ev_id: int, attempts: int) -> bool:
        with session_scope(self.sessions) as session:
            if attempts >= MAX_ATTEMPTS:
                session.execute(
                    update(Evaluation)
                    .where(Evaluation.id == ev_id, Evaluation.status == PENDING)
                    .values(status=FAILED, error=f"gave up after {attempts} attempts")
                )
                return False
            claimed = session.execute(
                update(Evaluation)
                .where(Evaluation.id == ev_id, Evaluation.attempts == attempts, Evaluation.status == PENDING)
                .values(attempts=attempts + 1, created_at=utcnow())
            )
            return claimed.rowcount == 1


def get_evaluation(session: Session, evaluation_id: int, viewer: User) -> Evaluation:
    """The owner and admins see an evaluation; to anyone else it does not exist (404, not 403)."""
    ev = session.get(Evaluation, evaluation_id)
    if ev is None or (ev.user_id != viewer.id and viewer.role != Role.admin):
        raise NotFound(f"no evaluation {evaluation_id}")
    return ev


def list_evaluations(session: Session, user_id: int, limit: int, offset: int) -> tuple[list[Evaluation], int]:
    query = select(Evaluation).where(Evaluation.user_id == user_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Evaluation.created_at.desc(), Evaluation.id.desc()).limit(limit).offset(offset)
    )
    return list(rows), total


def evaluation_view(ev: Evaluation) -> dict[str, Any]:
    """The public shape of an evaluation, shared by the API, pages and the CLI."""
    result = ev.result or {}
    return {
        "id": ev.id,
        "memo_id": ev.memo_id,
        "revision": ev.revision,
        "status": ev.status,
        "overall_score": ev.overall_score,
        "strengths": result.get("strengths", []),
        "opportunities": result.get("opportunities", []),
        "rubric_scores": result.get("rubric_scores", []),
        "segment_feedback": result.get("segment_feedback", []),
        "provider": ev.provider,
        "model": ev.model,
        "latency_ms": ev.latency_ms,
        "degraded": ev.degraded,
        "degraded_reason": ev.degraded_reason,
        "dropped_quotes": ev.dropped_quotes,
        "rubric_version_id": ev.rubric_version_id,
        "prompt_version_id": ev.prompt_version_id,
        "text_content": ev.text_content,
        "error": ev.error,
        "created_at": ev.created_at.isoformat(),
        "completed_at": ev.completed_at.isoformat() if ev.completed_at else None,
    }
