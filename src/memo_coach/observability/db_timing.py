"""Per-statement database timing: a histogram by statement kind and main table, and a slow-statement log.

The labels are bounded on purpose: the kind is one of five words and the table is one of the schema's
own tables (anything else, a catalogue query or `SELECT 1`, is "other"), so a raw query with values in
its text can never add a series. Parameters are never looked at, and literals in the SQL text are
replaced by `?` before the text is logged or kept, so a value typed into a query cannot leak either.

A statement above the threshold (monitoring.yaml `slow_statement_ms`) is logged at once and kept in a
small ring for the console; the sampler stores the per-label means and slow counts in the metric history,
which is what the weekly review compares (see docs/observability.md for why not a table of its own).
"""

from __future__ import annotations

import logging
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from memo_coach.db.base import Base, utcnow
from memo_coach.observability.metrics_registry import PREFIX

log = logging.getLogger("memo_coach.db.slow")

KINDS = ("select", "insert", "update", "delete")
OTHER = "other"
SQL_CHARS = 500  # the logged and kept text; enough to recognise a statement, not a whole IN list
STATEMENT_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
DEFAULT_SLOW_MS = 250.0
RING = 100  # slow statements the console lists, newest first
_CACHE_LIMIT = 4096  # distinct statement texts classified before the cache starts afresh

_TABLE_AFTER = {
    "select": re.compile(r'\bFROM\s+(?:"?\w+"?\.)?"?(\w+)"?', re.I),
    "insert": re.compile(r'^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(?:"?\w+"?\.)?"?(\w+)"?', re.I),
    "update": re.compile(r'^\s*UPDATE\s+(?:"?\w+"?\.)?"?(\w+)"?', re.I),
    "delete": re.compile(r'^\s*DELETE\s+FROM\s+(?:"?\w+"?\.)?"?(\w+)"?', re.I),
}
_FIRST_WORD = re.compile(r"^\s*\(?\s*(\w+)")
_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")


def _known_tables() -> frozenset[str]:
    return frozenset(Base.metadata.tables)


def classify(statement: str, tables: frozenset[str]) -> tuple[str, str]:
    """(kind, main table) of one SQL statement; a table not in `tables` is "other"."""
    first = _FIRST_WORD.match(statement)
    word = first.group(1).lower() if first else ""
    kind = "select" if word == "with" else word
    if kind not in KINDS:
        return OTHER, OTHER
    found = _TABLE_AFTER[kind].search(statement)
    table = found.group(1).lower() if found else OTHER
    return kind, table if table in tables else OTHER


def scrub(statement: str) -> str:
    """The SQL text with string and number literals replaced by `?`, whitespace folded, truncated."""
    return " ".join(_LITERALS.sub("?", statement).split())[:SQL_CHARS]


@dataclass(frozen=True)
class SlowStatement:
    at: datetime
    kind: str
    table: str
    seconds: float
    sql: str


class StatementTiming:
    """Times every statement of the engines it is attached to; its two series belong to one runtime's
    registry (`register_on`), so two runtimes in one process never mix their databases' numbers."""

    def __init__(self, slow_ms: Callable[[Session], float]) -> None:
        self.histogram = Histogram(
            PREFIX + "db_statement_duration_seconds",
            "Time to execute one SQL statement, by statement kind and main table.",
            ["kind", "table"],
            buckets=STATEMENT_BUCKETS,
            registry=None,
        )
        self.slow = Counter(
            PREFIX + "db_slow_statements_total",
            "SQL statements slower than monitoring.yaml's slow_statement_ms.",
            ["kind", "table"],
            registry=None,
        )
        self.slow_seconds = DEFAULT_SLOW_MS / 1000
        self.recent: deque[SlowStatement] = deque(maxlen=RING)
        self._read_slow_ms = slow_ms
        self._labels: dict[str, tuple[str, str, Histogram]] = {}
        self._tables: frozenset[str] | None = None

    def register_on(self, registry: CollectorRegistry) -> None:
        registry.register(self.histogram)
        registry.register(self.slow)

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def refresh(self, session: Session) -> None:
        """Re-reads the threshold from the active configuration (the sampler does, every tick)."""
        self.slow_seconds = self._read_slow_ms(session) / 1000

    def _before(self, _conn, _cursor, _statement, _parameters, context, _executemany) -> None:
        # On the execution context, not the connection: a statement that fails never reaches _after,
        # and its start must not linger for the next statement to pick up.
        if context is not None:
            context.memo_coach_started = time.perf_counter()

    def _after(self, _conn, _cursor, statement: str, _parameters, context, _executemany) -> None:
        started = getattr(context, "memo_coach_started", None)
        if started is None:
            return
        seconds = time.perf_counter() - started
        kind, table, child = self._label(statement)
        child.observe(seconds)
        if seconds >= self.slow_seconds:
            self._slow(kind, table, seconds, statement)

    def _label(self, statement: str) -> tuple[str, str, Histogram]:
        """The statement's labels and histogram child, classified once per distinct text."""
        found = self._labels.get(statement)
        if found is None:
            if self._tables is None or len(self._labels) >= _CACHE_LIMIT:
                self._tables = _known_tables()  # filled by assemble(), before any statement runs
                self._labels.clear()
            kind, table = classify(statement, self._tables)
            found = self._labels[statement] = (kind, table, self.histogram.labels(kind, table))
        return found

    def _slow(self, kind: str, table: str, seconds: float, statement: str) -> None:
        sql = scrub(statement)
        self.slow.labels(kind, table).inc()
        self.recent.appendleft(SlowStatement(utcnow(), kind, table, seconds, sql))
        log.warning(
            "slow statement",
            extra={"kind": kind, "table": table, "duration_ms": round(seconds * 1000, 1), "sql": sql},
        )
