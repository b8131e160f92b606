"""One writing transaction at a time per SQLite file within a process, queued on a lock.

SQLite lets one connection write at a time. When two threads of this process both try, the loser
sleeps in SQLite's busy handler in growing steps (up to 100 ms each) and wakes late even when the lock
was free a millisecond later; under a burst of submissions that turned a 3 ms write into seconds of
tail latency and, past the busy timeout, into errors. Here a connection takes the process's lock
before its first INSERT, UPDATE or DELETE and gives it back when its transaction ends, so threads wait
their turn on a lock that wakes them at once. Other processes (replicas, the CLI, `memo-coach
worker`) still meet SQLite's own lock and busy timeout, as before. Reads never wait: WAL readers see
their snapshot whoever writes.
"""

from __future__ import annotations

import sqlite3
import threading

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_gates: dict[str, threading.Lock] = {}
_gates_lock = threading.Lock()


def _gate(path: str) -> threading.Lock:
    with _gates_lock:
        return _gates.setdefault(path, threading.Lock())


def is_write(sql: str) -> bool:
    return sql.lstrip()[:7].upper().startswith(WRITES)


def gated_connection_factory(path: str, timeout_ms: int) -> type[sqlite3.Connection]:
    """A `sqlite3.connect(factory=...)` class whose writes queue on this file's lock in this process."""
    gate = _gate(path)

    class GatedCursor(sqlite3.Cursor):
        def execute(self, sql, parameters=(), /):
            self.connection.before(sql)
            try:
                return super().execute(sql, parameters)
            finally:
                self.connection.release_if_idle()

        def executemany(self, sql, seq_of_parameters, /):
            self.connection.before(sql)
            try:
                return super().executemany(sql, seq_of_parameters)
            finally:
                self.connection.release_if_idle()

    class GatedConnection(sqlite3.Connection):
        holding = False

        def before(self, sql: str) -> None:
            if self.holding or not is_write(sql):
                return
            if not gate.acquire(timeout=timeout_ms / 1000):
                raise sqlite3.OperationalError("database is locked (another thread of this process kept writing)")
            self.holding = True

        def release_if_idle(self) -> None:
            """Gives the lock back once no transaction is open (after commit, rollback or autocommit)."""
            if self.holding and not self.in_transaction:
                self.holding = False
                gate.release()

        def cursor(self, factory=GatedCursor):
            return super().cursor(factory)

        def execute(self, sql, parameters=(), /):  # the shortcut would make an ungated cursor
            return self.cursor().execute(sql, parameters)

        def executemany(self, sql, seq_of_parameters, /):
            return self.cursor().executemany(sql, seq_of_parameters)

        def commit(self) -> None:
            try:
                super().commit()
            finally:
                self.release_if_idle()

        def rollback(self) -> None:
            try:
                super().rollback()
            finally:
                self.release_if_idle()

        def close(self) -> None:
            try:
                super().close()
            finally:
                if self.holding:
                    self.holding = False
                    gate.release()

    return GatedConnection
