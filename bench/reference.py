"""The fixed reference workload every benchmark run measures beside its own figures.

A figure alone mixes the code's speed with the machine's: another CPU, or the same one shared with
other work, moves it as much as a regression would. The reference never changes (do not edit it: old
result files would stop being comparable), so its time in a run says how fast the machine was then,
and `bench.compare` divides that out. It is what the measured code mostly does: Python bytecode
(strings, dicts, integer arithmetic) and small SQLite transactions in WAL mode on a real file.
One sample takes about 0.2 s on the machine the baseline was made on.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

CPU_ROUNDS = 500_000
SQLITE_TRANSACTIONS = 600
ROWS_PER_TRANSACTION = 25


def _cpu() -> int:
    """A deterministic mix of the interpreter's everyday work; the checksum keeps it from being skipped."""
    counts: dict[str, int] = {}
    state = 12345
    for i in range(CPU_ROUNDS):
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        word = f"w{state % 997}"
        counts[word] = counts.get(word, 0) + i % 7
    return sum(counts.values()) + len(" ".join(sorted(counts)))


def _sqlite(directory: Path) -> int:
    db = sqlite3.connect(directory / "reference.db")
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        for n in range(SQLITE_TRANSACTIONS):
            with db:
                db.executemany(
                    "INSERT INTO t (body) VALUES (?)", [(f"row {n}-{k} " * 8,) for k in range(ROWS_PER_TRANSACTION)]
                )
        return db.execute("SELECT count(*) FROM t").fetchone()[0]
    finally:
        db.close()


def sample() -> tuple[float, float]:
    """Wall and CPU seconds of one pass of the reference workload."""
    with tempfile.TemporaryDirectory(prefix="bench-reference-") as tmp:
        wall, cpu = time.perf_counter(), time.process_time()
        _cpu()
        _sqlite(Path(tmp))
        return time.perf_counter() - wall, time.process_time() - cpu


def summary(samples: list[tuple[float, float]]) -> dict:
    """What a result file stores; compare divides by the fastest sample: someone else's job on the
    machine only ever slows a sample down, so the fastest says most steadily what the machine can do."""
    return {
        "seconds": round(min(wall for wall, _ in samples), 4),
        "cpu_seconds": round(min(cpu for _, cpu in samples), 4),
        "samples": [[round(wall, 4), round(cpu, 4)] for wall, cpu in samples],
    }
