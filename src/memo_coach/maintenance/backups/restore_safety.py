"""What makes a restore safe under traffic: work in flight drained, ids never handed out twice, and
an account of what the restore undid.

Ids: a restore brings back a database whose highest ids are lower than the ones already handed out.
If new rows took those ids again, a writer's open page, a result still being computed, or a link in
an e-mail would point at someone else's memo. So the id counters of the tables writers reach by id
are raised to at least what the live database had reached before it was replaced.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.coaching.jobs import pending_counts
from memo_coach.db.base import utcnow
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.maintenance.backups.service import BackupTarget
from memo_coach.maintenance.mode.models import MaintenanceWindow

T = TypeVar("T")
# Tables whose ids writers see (URLs, API answers, results in flight): never reused after a restore.
ID_TABLES = ("memos", "evaluations")
# Requests that passed the maintenance check just before the window opened finish within this.
GRACE_SECONDS = 2.0
POLL_SECONDS = 0.2


class Steps:
    """How long each step of the refusal window took, for the report and the benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def run(self, name: str, action: Callable[[], T]) -> T:
        started = time.monotonic()
        try:
            return action()
        finally:
            self.seconds[name] = round(time.monotonic() - started, 3)


@dataclass(frozen=True)
class Drained:
    seconds: float
    still_running: int  # evaluations whose owner still held a live lease when the wait ended
    stranded: int  # pending without a live owner: kept in the safety backup, undone by the restore

    def to_dict(self) -> dict:
        return {"seconds": self.seconds, "still_running": self.still_running, "stranded": self.stranded}


def drain(sessions: sessionmaker[Session], timeout: float, grace: float = GRACE_SECONDS) -> Drained:
    """Waits, with writes already refused, until no evaluation is running (each ends by its deadline)."""
    started = time.monotonic()
    time.sleep(grace)
    while True:
        with session_scope(sessions) as session:
            counts = pending_counts(session)
        if counts["running"] == 0 or time.monotonic() - started > timeout:
            seconds = round(time.monotonic() - started, 3)
            return Drained(seconds, counts["running"], counts["stranded"])
        time.sleep(POLL_SECONDS)


def uncompressed(target: BackupTarget) -> BackupTarget:
    """The safety backup is taken while writes are refused: stored without compression (still
    encrypted when a key is set), it costs about a file copy instead of a zstd pass, which was most
    of the refusal window (11 of 15 s on a 1 GB database)."""
    return replace(target, policy=target.policy.model_copy(update={"compression_level": 0}))


def id_marks(engine: Engine) -> dict[str, int]:
    """The highest id each ID_TABLES table has handed out (its counter, or its largest row)."""
    marks = {}
    with engine.connect() as conn:
        for table in ID_TABLES:
            marks[table] = conn.execute(
                select(func.coalesce(func.max(text("id")), 0)).select_from(text(table))
            ).scalar()
        if engine.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("SELECT name, seq FROM sqlite_sequence").all()
            for name, seq in rows:
                if name in marks:
                    marks[name] = max(marks[name], seq)
    return marks


def id_marks_of(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        return id_marks(engine)
    finally:
        engine.dispose()


def raise_sqlite_counters(path: Path, marks: dict[str, int]) -> None:
    """In the (scratch) SQLite file about to become live: the AUTOINCREMENT counters at least `marks`."""
    with closing(sqlite3.connect(path)) as conn, conn:
        for table, mark in marks.items():
            changed = conn.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (mark, table))
            if changed.rowcount == 0:
                conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, mark))


def raise_pg_sequences(engine: Engine, marks: dict[str, int]) -> None:
    with engine.begin() as conn:
        for table, mark in marks.items():
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"GREATEST(:mark, (SELECT COALESCE(MAX(id), 0) FROM {table})) + 1, false)"
                ),
                {"mark": mark},
            )


def open_window(session: Session, actor: str, message: str) -> int:
    """The restore's exclusive window in a database about to go live (or just restored), so it refuses
    writes from its first moment: it does not know the window the old database had. Not through
    switch_on: its audit entry would make the database differ from the backup's manifest; the restore
    is audited as a whole once it is done."""
    window = MaintenanceWindow(starts_at=utcnow(), message=message, created_by=actor, exclusive_to=actor)
    session.add(window)
    session.flush()
    return window.id


def open_window_in_copy(url: str, actor: str, message: str) -> int:
    engine = make_engine(url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            return open_window(session, actor, message)
    finally:
        engine.dispose()


def undone(before: dict[str, int], restored: dict[str, int], marks: dict[str, int], restored_marks: dict) -> dict:
    """What the restore took back: rows per table the live database had beyond the backup (they are
    in the safety backup), and the range of evaluation ids that no longer exist."""
    rows = {t: n - restored.get(t, 0) for t, n in sorted(before.items()) if n > restored.get(t, 0)}
    first, last = restored_marks.get("evaluations", 0) + 1, marks.get("evaluations", 0)
    return {"rows": rows, "evaluation_ids": [first, last] if last >= first else []}
