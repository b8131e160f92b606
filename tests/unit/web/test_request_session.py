"""The request's database session ends even when every thread of the request pool is taken.

A session ending in the shared pool would hold its connection while waiting for a thread; with
every thread waiting for a connection, PostgreSQL's bounded pool stalled for its 30 s timeout.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace

import anyio
import anyio.to_thread
from sqlalchemy import text

from memo_coach.db.engine import make_engine, make_session_factory
from memo_coach.web.deps import get_db


def test_a_session_with_an_open_transaction_ends_while_the_request_pool_is_full(tmp_path):
    sessions = make_session_factory(make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}"))
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(runtime=SimpleNamespace(sessions=sessions))))
    release = threading.Event()
    threading.Timer(5, release.set).start()  # a session that waits for the pool ends only then
    ended = []

    async def main() -> None:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 1
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(anyio.to_thread.run_sync, release.wait)  # the only thread of the pool, taken
            await anyio.sleep(0.05)
            dependency = get_db(request)
            session = await dependency.__anext__()
            session.execute(text("SELECT 1"))  # a transaction is open: its end needs a thread
            try:
                await dependency.__anext__()  # the route returned: commit
            except StopAsyncIteration:
                ended.append(not release.is_set() and not session.in_transaction())
            release.set()

    # In a thread of its own: a browser test earlier in the run may leave an event loop set on this one.
    runner = threading.Thread(target=anyio.run, args=(main,))
    runner.start()
    runner.join(30)
    assert ended == [True]
