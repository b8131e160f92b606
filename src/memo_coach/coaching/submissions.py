"""A writer's submission, the use case both doors call: may this caller write now, are they a signed-in
writer within their rate limit; then the memo is stored and its evaluation queued (see Coach.accept).

The checks run in the transaction that stores the memo: one trip to a thread and one commit for all
of it, on the path every submission takes. A memo refused after the checks (a bad memo, a full queue)
is not counted against the rate limit, because its transaction is rolled back; one stored always is.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from sqlalchemy.orm import Session

from memo_coach.auth import rate_limits
from memo_coach.auth.models import User
from memo_coach.auth.roles import Role, require_role
from memo_coach.auth.sessions import user_for_token
from memo_coach.auth.users import get_user
from memo_coach.coaching.models import Evaluation
from memo_coach.coaching.service import Coach
from memo_coach.config_store.versions import ActiveConfig
from memo_coach.db.base import utcnow

# Who may write now (maintenance/mode/writes.py, above this layer): raises to refuse `user`.
WriteGate = Callable[[Session, User | None], None]
ACTION = "submit"  # the rate limit a submission counts against (auth.yaml)


@dataclass(frozen=True)
class MemoDraft:
    """What a writer sends."""

    text: str
    memo_id: int | None = None  # a new revision of this memo
    idempotency_key: str | None = None


@dataclass
class Accepted:
    evaluation: Evaluation  # the stored row: pending, or the first submission's under a repeated key
    running: Future[Evaluation] | None  # the evaluation in the queue; None for a repeated key


class Submissions:
    def __init__(self, coach: Coach, may_write: WriteGate) -> None:
        self.coach = coach
        self.may_write = may_write

    def by_session(
        self,
        token: str | None,
        address: str,
        memo: MemoDraft,
        *,
        wait_for_first: bool = True,
        on_user: Callable[[User | None], None] | None = None,
    ) -> Accepted:
        """A submission over the web: `token` names the session, `address` the client (rate limits).
        `on_user` hears who the token belongs to, before any refusal (error pages name the writer)."""

        def checks(session: Session, config: ActiveConfig) -> int:
            user = user_for_token(session, token)
            if on_user is not None:
                on_user(user)
            self.may_write(session, user)
            require_role(user, Role.writer)
            rate_limits.take(session, ACTION, user.username, address, config.auth.rate_limits.submit, utcnow())
            return user.id

        return self._accept(checks, memo, wait_for_first)

    def by_account(self, username: str, memo: MemoDraft) -> Evaluation:
        """A submission from the command line, under an account named by the operator; answers once it is
        evaluated. No rate limit (the operator is at the machine), but maintenance holds it off as any write."""

        def checks(session: Session, config: ActiveConfig) -> int:
            user = get_user(session, username)
            self.may_write(session, user)
            return user.id

        accepted = self._accept(checks, memo, wait_for_first=True)
        return accepted.running.result() if accepted.running else accepted.evaluation

    def _accept(self, checks, memo: MemoDraft, wait_for_first: bool) -> Accepted:
        evaluation, running = self.coach.accept(
            checks, memo.text, memo.memo_id, memo.idempotency_key, wait_for_first=wait_for_first
        )
        return Accepted(evaluation, running)
