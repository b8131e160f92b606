"""The door to a writer's submission (coaching/submissions.py): both the API and the submit page use it.

Only a missing session token is refused before the route runs; a request with a token is checked by
the use case, so its body is validated first (a bad body with a stale token answers 422, not 401).
Routes using it are marked `handles_maintenance_itself`, so the app-wide guard does not check again.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

import anyio
from fastapi import Depends, Request

from memo_coach.auth.roles import Role
from memo_coach.coaching.submissions import Accepted, MemoDraft
from memo_coach.web.deps import RoleRequirement, runtime_of, session_token, signed_in
from memo_coach.web.rate_limits import client_address


class SubmissionDoor:
    """Hands one request's memo to the use case, on the submission threads (MEMO_COACH_SUBMIT_THREADS).

    Those threads are few: the work is short database calls, and with 100 writers at once, a dozen
    threads running it together only took turns on the GIL and the SQLite write lock, costing more CPU
    per submission and a longer tail."""

    def __init__(self, request: Request) -> None:
        self.request = request

    async def submit(self, memo: MemoDraft, *, wait_for_first: bool) -> Accepted:
        request = self.request
        runtime = runtime_of(request)
        accept = partial(
            runtime.submissions.by_session,
            session_token(request),
            client_address(request),
            memo,
            wait_for_first=wait_for_first,
            on_user=partial(signed_in, request),
        )
        return await anyio.to_thread.run_sync(accept, limiter=runtime.submit_threads)


class WriterSubmits(RoleRequirement):
    """A writer's submission; the role is checked by the use case, with the memo's storing."""

    def __init__(self) -> None:
        super().__init__(Role.writer)

    async def __call__(self, request: Request) -> SubmissionDoor:
        if not session_token(request):
            self.authorise(signed_in(request, None))  # raises Unauthenticated without a database trip
        return SubmissionDoor(request)


Submission = Annotated[SubmissionDoor, Depends(WriterSubmits())]
