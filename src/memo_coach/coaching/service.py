"""Evaluating a memo: store it first (with its owner and a lease), evaluate outside any transaction
under an overall deadline, store the result into that row only.

A crash between the two writes leaves a `pending` row whose lease runs out within seconds; then any
process's `resume_pending` takes it over (see jobs.py), so nothing a writer sent is ever lost.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, inspect, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.auth.models import User
from memo_coach.auth.roles import Role
from memo_coach.coaching import idempotency
from memo_coach.coaching.admission import AdmissionQueue
from memo_coach.coaching.evaluators import EvaluatorChoice
from memo_coach.coaching.jobs import Claim, Leases
from memo_coach.coaching.models import COMPLETED, FAILED, PENDING, Evaluation, Memo
from memo_coach.coaching.result import result_values
from memo_coach.coaching.text_input import require_text
from memo_coach.coaching.titles import memo_title
from memo_coach.config_store.versions import ActiveConfig, ConfigCache
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.db.storage import is_storage_full
from memo_coach.errors import NotFound, StorageFull

log = logging.getLogger(__name__)
NEW_MEMO = insert(Memo.__table__).returning(Memo.__table__.c.id)
NEW_EVALUATION = insert(Evaluation.__table__).returning(Evaluation.__table__.c.id)
# Every column of a just-stored evaluation that the submission does not choose (but `result`, left
# SQL NULL: a JSON column would store None as the JSON text null).
UNFINISHED = {
    "status": PENDING,
    "attempts": 1,
    "provider": None,
    "model": None,
    "degraded": False,
    "degraded_reason": None,
    "overall_score": None,
    "dropped_quotes": 0,
    "latency_ms": None,
    "error": None,
    "completed_at": None,
}
MAX_ATTEMPTS = 3  # after this many interrupted tries the offline analyzer answers; two more and it fails
TAKEOVER_THREADS = 16  # takeovers wait on the LLM, not the CPU: one claim per thread, all at once
WAIT_POLL_SECONDS = 0.2
# A submission's checks, run in the transaction that stores the memo: (session, active configuration) ->
# the writer's user id, or an AppError that refuses the memo (see submissions.py).
Checks = Callable[[Session, ActiveConfig], int]
STORED_BUT_NOT_FINISHED = (
    "Your memo is stored, but its evaluation could not be saved because the server's disk is full; "
    "it is finished automatically once there is room. Look for it in your history."
)


def clean_text(text: str, max_chars: int) -> str:
    """Normalises line endings and refuses what cannot be a memo, naming the field."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return require_text(text, max_chars, field="text_content", noun="memo", code="text")


class Coach:
    """The evaluation service; one per process, shared by the API, pages, CLI and scheduler."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        evaluators: EvaluatorChoice,
        config: ConfigCache,
        *,
        max_chars: int,
        deadline_seconds: float,
        lease_seconds: float,
        workers: int,
        queue_size: int,
        on_evaluated: Callable[[str, str, float], None] | None = None,
    ) -> None:
        """Built by the runtime from the settings. `on_evaluated(provider, outcome, seconds)` hears of
        every finished evaluation (metrics); outcome is completed, degraded or failed."""
        self.sessions = sessions
        self.max_chars = max_chars
        self.evaluators = evaluators
        self.config = config
        self.deadline_seconds = deadline_seconds
        self.leases = Leases(sessions, lease_seconds)
        self._on_evaluated = on_evaluated
        self.queue = AdmissionQueue(workers, queue_size)
        self._takeovers = ThreadPoolExecutor(TAKEOVER_THREADS, thread_name_prefix="takeover")
        self._taking_over: set[int] = set()
        self._lock = threading.Lock()

    def submit(
        self, user_id: int, text: str, memo_id: int | None = None, idempotency_key: str | None = None
    ) -> Evaluation:
        """Stores the memo for a writer already known and evaluates it, answering once it is evaluated."""
        evaluation, running = self.accept(lambda session, config: user_id, text, memo_id, idempotency_key)
        return running.result() if running else evaluation

    def accept(
        self,
        checks: Checks,
        text: str,
        memo_id: int | None = None,
        idempotency_key: str | None = None,
        *,
        wait_for_first: bool = True,
    ) -> tuple[Evaluation, Future[Evaluation] | None]:
        """Stores the memo with its owner and this process's lease, in a transaction of its own, and queues
        its evaluation (a full queue refuses with 503 at once); answers the stored pending row and the
        future of the evaluated one. `checks(session, config)` runs first in that transaction and answers
        the writer's user id: what it counts commits with the memo, and a refusal rolls it back. A repeated
        `idempotency_key` answers with the first submission's evaluation instead (no future; finished
        first unless `wait_for_first` is off), committed before any waiting: a wait must not hold
        SQLite's write lock or PostgreSQL's row locks."""
        reserved, user_id, key = False, None, None
        try:
            with session_scope(self.sessions) as session:
                snapshot = self.config.current(session)
                user_id = checks(session, snapshot)
                text = clean_text(text, self.max_chars)
                key = idempotency.check_key(idempotency_key)
                first = idempotency.first_for_key(session, user_id, key, text) if key else None
                if first is None:
                    self.queue.reserve()
                    reserved = True
                    evaluation = self._store_pending(session, user_id, text, memo_id, snapshot, key)
        except IntegrityError:
            self._release(reserved)
            if key and user_id and (first := self._first_for_key(user_id, key, text)):  # the same key, at once
                return self._answer_first(first, wait_for_first), None
            raise
        except OperationalError as exc:
            self._release(reserved)
            if is_storage_full(exc):
                raise StorageFull() from exc
            raise
        except BaseException:
            self._release(reserved)
            raise
        if first is not None:
            return self._answer_first(first, wait_for_first), None
        return evaluation, self.queue.run(self._run_stored, evaluation, snapshot)

    def _release(self, reserved: bool) -> None:
        if reserved:
            self.queue.release()

    def _first_for_key(self, user_id: int, key: str, text: str) -> Evaluation | None:
        with session_scope(self.sessions) as session:
            return idempotency.first_for_key(session, user_id, key, text)

    def _answer_first(self, first: Evaluation, wait: bool) -> Evaluation:
        return self._wait_done(first.id, first.user_id) if wait else first

    def _run_stored(self, pending: Evaluation, snapshot: ActiveConfig) -> Evaluation:
        with self.leases.working():
            values = self._run(pending.id, pending.user_id, pending.text_content, snapshot, pending.deadline_at)
        if values is None:  # another process finished it: its row is the answer
            return self._wait_done(pending.id, pending.user_id)
        return finished(pending, values)

    def _store_pending(
        self,
        session: Session,
        user_id: int,
        text: str,
        memo_id: int | None,
        snapshot: ActiveConfig,
        key: str | None,
    ) -> Evaluation:
        """Inserts with prepared table statements: building them and the ORM's flush cost more than the
        inserts themselves, on the path every submission takes."""
        now = utcnow()
        connection = session.connection()
        if memo_id is None:
            memo = {"user_id": user_id, "title": memo_title(text), "created_at": now}
            memo_id = connection.execute(NEW_MEMO, memo).scalar_one()
            revision = 1
        else:
            memo = session.get(Memo, memo_id)
            if memo is None or memo.user_id != user_id:
                raise NotFound(f"no memo {memo_id} of yours", field="memo_id")
            latest = select(func.max(Evaluation.revision)).where(Evaluation.memo_id == memo.id)
            revision = (session.scalar(latest) or 0) + 1
        row = {
            **UNFINISHED,
            "memo_id": memo_id,
            "user_id": user_id,
            "revision": revision,
            "text_content": text,
            "rubric_version_id": snapshot.version_ids.get("rubric"),
            "prompt_version_id": snapshot.version_ids.get("prompt"),
            "idempotency_key": key,
            "lease_owner": self.leases.owner,
            "lease_expires_at": self.leases.expiry(now),
            "deadline_at": now + timedelta(seconds=self.deadline_seconds),
            "created_at": now,
        }
        evaluation_id = connection.execute(NEW_EVALUATION, row).scalar_one()
        return Evaluation(id=evaluation_id, result=None, **row)

    def _run(
        self,
        evaluation_id: int,
        user_id: int,
        text: str,
        snapshot: ActiveConfig,
        deadline_at: datetime | None,
        skip_llm: str | None = None,
    ) -> dict | None:
        """Evaluates under the job's deadline and writes the outcome into this job's row only; answers
        the values written, or None when the lease was lost and another process's result stands."""
        started = time.perf_counter()
        left = (deadline_at - utcnow()).total_seconds() if deadline_at else self.deadline_seconds
        try:
            outcome = self.evaluators.evaluate(text, snapshot, time.monotonic() + left, skip_llm)
        except Exception as exc:
            log.exception("evaluation %s failed", evaluation_id)
            self._finish(evaluation_id, user_id, {"status": FAILED, "error": f"{type(exc).__name__}: {exc}"[:1000]})
            self._report("unknown", FAILED, started)
            raise
        latency_ms = round((time.perf_counter() - started) * 1000, 2)
        values = result_values(outcome.evaluated, outcome.degraded_reason, latency_ms, snapshot.rubric)
        if not self._finish(evaluation_id, user_id, values):
            return None
        self._report(outcome.evaluated.provider, "degraded" if outcome.degraded_reason else COMPLETED, started)
        return values

    def _finish(self, evaluation_id: int, user_id: int, values: dict) -> bool:
        try:
            with session_scope(self.sessions) as session:
                written = self.leases.finish(session, evaluation_id, user_id, values)
        except OperationalError as exc:
            if is_storage_full(exc):  # the job stays pending; once there is room, a takeover finishes it
                raise StorageFull(STORED_BUT_NOT_FINISHED) from exc
            raise
        if not written:  # our lease ran out and another process took the job: its result stands
            log.warning("evaluation %s: lease lost before the result was written; result discarded", evaluation_id)
        return written

    def _wait_done(self, evaluation_id: int, user_id: int) -> Evaluation:
        """The job's row once no longer pending (another process may be finishing it), at most until its
        deadline plus a lease; never another writer's row."""
        give_up = time.monotonic() + self.deadline_seconds + self.leases.seconds * 2
        while True:
            with session_scope(self.sessions) as session:
                ev = session.get(Evaluation, evaluation_id)
            if ev is None or ev.user_id != user_id:
                raise NotFound(f"evaluation {evaluation_id} is gone (was the database restored?)")
            if ev.status != PENDING or time.monotonic() > give_up:
                return ev
            time.sleep(WAIT_POLL_SECONDS)

    def _report(self, provider: str, outcome: str, started: float) -> None:
        if self._on_evaluated is None:
            return
        try:
            self._on_evaluated(provider, outcome, time.perf_counter() - started)
        except Exception:  # a broken metrics hook must never fail an evaluation
            log.exception("on_evaluated hook failed")

    def resume_pending(self, wait: bool = False) -> int:
        """Claims stranded jobs (their owner's lease ran out) and runs them in this process's takeover
        threads; returns how many it claimed. With `wait`, returns once they are finished."""
        with self._lock:
            room = TAKEOVER_THREADS - len(self._taking_over)
        claims = self.leases.claim_stranded(room) if room > 0 else []
        futures = []
        for claim in claims:
            with self._lock:
                self._taking_over.add(claim.evaluation_id)
            futures.append(self._takeovers.submit(self._take_over, claim))
        if wait:
            for future in futures:
                future.result()
        return len(claims)

    def _take_over(self, claim: Claim) -> None:
        try:
            with self.leases.working():
                self._run_claimed(claim)
        except Exception:  # recorded as failed on the row by _run, or left for the next claim
            log.exception("taking over evaluation %s failed", claim.evaluation_id)
        finally:
            with self._lock:
                self._taking_over.discard(claim.evaluation_id)

    def _run_claimed(self, claim: Claim) -> None:
        with session_scope(self.sessions) as session:
            ev = session.get(Evaluation, claim.evaluation_id)
            snapshot = self.config.current(session)
        tries = claim.attempts - 1
        if claim.attempts > MAX_ATTEMPTS + 1:
            self._finish(ev.id, ev.user_id, {"status": FAILED, "error": f"gave up after {tries} attempts"})
            return
        skip = f"the evaluation was interrupted {tries} times" if claim.attempts > MAX_ATTEMPTS else None
        self._run(ev.id, ev.user_id, ev.text_content, snapshot, ev.deadline_at, skip)

    def close(self) -> None:
        self.leases.stop()
        self.queue.close()
        self._takeovers.shutdown(wait=False, cancel_futures=True)


def finished(pending: Evaluation, values: dict) -> Evaluation:
    """The row as the finishing UPDATE left it, built instead of read back (a detached copy: the
    pending object may still be in a caller's hands)."""
    row = {attr.key: getattr(pending, attr.key) for attr in inspect(Evaluation).column_attrs}
    return Evaluation(**{**row, **values, "lease_owner": None, "lease_expires_at": None})


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
