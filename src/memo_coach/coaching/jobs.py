"""Evaluations as durable jobs: a `pending` row is a job, and whoever holds its unexpired lease runs it.

The submitting process takes the lease in the same insert that stores the memo and renews it while
it works. If that process dies, the lease runs out within `lease_seconds` and any process (another
replica, `memo-coach worker`) claims the row with a conditional UPDATE: exactly one row changed means
it is ours, so two processes never run the same job. A result is written under the same condition
(this row, this owner, still pending), so it lands only in the row it was computed for.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.coaching.models import PENDING, Evaluation
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.periodic import PeriodicLoop

log = logging.getLogger(__name__)
_rows = Evaluation.__table__.c
# Prepared once (a table statement, not the ORM entity: nothing in a session to synchronise); the
# columns it sets are the keys of the parameters it is run with.
FINISH = update(Evaluation.__table__).where(
    _rows.id == bindparam("_id"),
    _rows.user_id == bindparam("_user_id"),
    _rows.lease_owner == bindparam("_owner"),
    _rows.status == PENDING,
)
SWEEP_SECONDS = 1.0  # one indexed query a second per process; bounds takeover at lease + 1 s


def process_owner() -> str:
    """A lease owner name unique to this process (a restarted process with the same pid is another owner)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _expired(now: datetime):
    return or_(Evaluation.lease_expires_at.is_(None), Evaluation.lease_expires_at < now)


@dataclass(frozen=True)
class Claim:
    evaluation_id: int
    user_id: int
    attempts: int  # including this one


class Leases:
    """This process's leases on evaluation jobs: taking, renewing in a thread, and claiming stranded ones."""

    def __init__(self, sessions: sessionmaker[Session], seconds: float) -> None:
        self.sessions = sessions
        self.seconds = seconds
        self.owner = process_owner()
        # A renewal that fails (a locked or restarting database) is logged and tried again next time.
        self._renewals = PeriodicLoop("evaluation-leases", seconds / 3, self._renew_while_working)
        self._lock = threading.Lock()
        self._working = 0  # jobs this process is running now; the renewal thread ends when none are

    def expiry(self, now: datetime | None = None) -> datetime:
        return (now or utcnow()) + timedelta(seconds=self.seconds)

    @contextmanager
    def working(self) -> Iterator[None]:
        """Around running a job: while any runs, a thread renews every lease this process holds,
        three times per lease period."""
        with self._lock:
            self._working += 1
            self._renewals.start()  # unless it runs already
        try:
            yield
        finally:
            with self._lock:
                self._working -= 1

    def stop(self) -> None:
        self._renewals.stop()

    def renew(self) -> int:
        with session_scope(self.sessions) as session:
            return session.execute(
                update(Evaluation)
                .where(Evaluation.lease_owner == self.owner, Evaluation.status == PENDING)
                .values(lease_expires_at=self.expiry())
            ).rowcount

    def _renew_while_working(self) -> None:
        with self._lock:  # a job starting now restarts the loop only after this decision
            if self._working == 0:
                self._renewals.request_stop()
                return
        self.renew()

    def claim_stranded(self, limit: int) -> list[Claim]:
        """Pending jobs whose lease ran out (their owner died), each claimed for this process."""
        now = utcnow()
        with session_scope(self.sessions) as session:
            rows = session.execute(
                select(Evaluation.id, Evaluation.user_id, Evaluation.attempts)
                .where(Evaluation.status == PENDING, _expired(now))
                .order_by(Evaluation.id)
                .limit(limit)
            ).all()
        return [claim for row in rows if (claim := self._claim(row.id, row.user_id, row.attempts, now))]

    def _claim(self, ev_id: int, user_id: int, attempts: int, now: datetime) -> Claim | None:
        with session_scope(self.sessions) as session:
            changed = session.execute(
                update(Evaluation)
                .where(
                    Evaluation.id == ev_id,
                    Evaluation.status == PENDING,
                    Evaluation.attempts == attempts,
                    _expired(now),
                )
                .values(lease_owner=self.owner, lease_expires_at=self.expiry(now), attempts=attempts + 1)
            ).rowcount
        return Claim(ev_id, user_id, attempts + 1) if changed == 1 else None

    def finish(self, session: Session, ev_id: int, user_id: int, values: dict) -> bool:
        """Writes a job's outcome only into its own row, only while this process holds the lease."""
        params = {**values, "lease_owner": None, "lease_expires_at": None}
        ours = {"_id": ev_id, "_user_id": user_id, "_owner": self.owner}
        changed = session.connection().execute(FINISH, {**params, **ours}).rowcount
        return changed == 1


def pending_counts(session: Session, now: datetime | None = None) -> dict:
    """Pending evaluations: `running` under a live lease, `stranded` whose owner's lease ran out."""
    now = now or utcnow()
    stranded = select(func.count(), func.min(Evaluation.created_at)).where(Evaluation.status == PENDING, _expired(now))
    count, oldest = session.execute(stranded).one()
    running = session.scalar(
        select(func.count()).where(Evaluation.status == PENDING, Evaluation.lease_expires_at >= now)
    )
    return {
        "running": running or 0,
        "stranded": count or 0,
        "oldest_stranded_seconds": round((now - oldest).total_seconds(), 1) if oldest else None,
    }


class StrandedJobSweeper:
    """A thread that, every `interval` seconds, hands stranded jobs to `run_claims` (any process may)."""

    def __init__(self, claim_and_run: Callable[[], int], interval: float) -> None:
        self._claim_and_run = claim_and_run
        self._loop = PeriodicLoop("stranded-evaluations", interval, self._sweep, run_first=True)

    def start(self) -> StrandedJobSweeper:
        self._loop.start()
        return self

    def stop(self) -> None:
        self._loop.stop()

    def _sweep(self) -> None:
        if done := self._claim_and_run():
            log.info("took over %d evaluations whose owner stopped", done)
