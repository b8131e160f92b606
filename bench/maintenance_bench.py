"""Backup, verification and restore on a generated SQLite database, against `cp` of the same file.

    python -m bench.maintenance_bench --size-mb 1000

Goals (issue 5): backup at most 2x cp, verification at most 3x cp, and the longest write stall a
concurrent writer sees during the backup under 1 s. The generated database is kept in
bench/results/data/ and reused by later runs of the same size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import subprocess
import tempfile
import threading
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from memo_coach.db import migrate
from memo_coach.db.engine import make_engine, make_session_factory
from memo_coach.maintenance.backups.restore import restore_backup
from memo_coach.maintenance.backups.service import BackupTarget, create_backup, verify_backup
from memo_coach.maintenance.config import BackupPolicy
from memo_coach.settings import Settings

RESULTS = Path(__file__).parent / "results"
WORDS = [
    "budget",
    "request",
    "approve",
    "vendor",
    "quarter",
    "revenue",
    "hiring",
    "plan",
    "risk",
    "deadline",
    "customer",
    "launch",
    "cost",
    "savings",
]


def _texts(rng: random.Random, count: int = 2000) -> list[str]:
    vocabulary = [w + str(i) for i in range(400) for w in WORDS]
    return [" ".join(rng.choices(vocabulary, k=450)) for _ in range(count)]


def generate(path: Path, size_mb: int) -> None:
    """Fills the app's own schema with users, memos and evaluations until the file reaches size_mb."""
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    rng = random.Random(5)
    texts = _texts(rng)
    now = datetime.now(UTC).isoformat(sep=" ")
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute(
            "INSERT INTO users (username, role, password_hash, is_active, created_at, password_changed_at)"
            " VALUES ('bench', 'writer', 'x', 1, ?, ?)",
            (now, now),
        )
        memo_id = 0
        while path.stat().st_size < size_mb * 1024 * 1024:
            rows = []
            for _ in range(2000):
                memo_id += 1
                rows.append((memo_id, texts[rng.randrange(len(texts))] + f" #{memo_id}"))
            conn.executemany(
                "INSERT INTO memos (id, user_id, title, created_at) VALUES (?, 1, 'bench', '" + now + "')",
                [(r[0],) for r in rows],
            )
            conn.executemany(
                "INSERT INTO evaluations (memo_id, user_id, revision, text_content, status, attempts, degraded,"
                " dropped_quotes, created_at, overall_score, result) VALUES (?, 1, 1, ?, 'completed', 1, 0, 0, '"
                + now
                + '\', 3.5, \'{"strengths": ["clear ask"]}\')',
                rows,
            )
            conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class Writer(threading.Thread):
    """Commits one small row every few milliseconds and remembers the slowest commit."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path, self.stop, self.latencies = path, threading.Event(), []

    def run(self) -> None:
        with closing(sqlite3.connect(self.path, timeout=60)) as conn:
            conn.execute("PRAGMA busy_timeout=60000")
            while not self.stop.is_set():
                started = time.perf_counter()
                conn.execute(
                    "INSERT INTO login_attempts (username, client_address, succeeded, at) VALUES ('w', '127.0.0.1', 1, ?)",
                    (datetime.now(UTC).isoformat(sep=" "),),
                )
                conn.commit()
                self.latencies.append(time.perf_counter() - started)
                time.sleep(0.005)


def _timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _cp_seconds(db: Path, copy: Path) -> float:
    """The median of three `cp` runs: the first one often pays for a cold page cache, the backup does not."""
    times = []
    for _ in range(3):
        times.append(_timed(lambda: subprocess.run(["cp", str(db), str(copy)], check=True))[0])
        copy.unlink()
    return sorted(times)[1]


def run(size_mb: int, compression_level: int = 1) -> dict:
    data = RESULTS / "data"
    data.mkdir(parents=True, exist_ok=True)
    db = data / f"bench-{size_mb}mb.db"
    if not db.exists():
        gen_seconds, _ = _timed(lambda: generate(db, size_mb))
        print(f"generated {db} in {gen_seconds:.1f}s")
    size = db.stat().st_size
    with tempfile.TemporaryDirectory(dir=data) as tmp:
        cp_seconds = _cp_seconds(db, Path(tmp) / "cp.db")
        settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{db}", backup_dir=Path(tmp) / "backups")
        engine = make_engine(settings.sqlalchemy_url)
        sessions = make_session_factory(engine)
        target = BackupTarget.of(settings, engine, BackupPolicy(compression_level=compression_level))
        writer = Writer(db)
        writer.start()
        time.sleep(0.5)
        during_start = len(writer.latencies)
        backup_seconds, made = _timed(lambda: create_backup(target, reason="bench"))
        during = writer.latencies[during_start:]
        writer.stop.set()
        writer.join()
        verify_seconds, verified = _timed(lambda: verify_backup(target, sessions, made.id))
        restore_seconds, restored = _timed(
            lambda: restore_backup(target, sessions, made.id, confirmed=True, actor="bench")
        )
        engine.dispose()
    during.sort()
    return {
        "when": datetime.now(UTC).isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_average": os.getloadavg()},
        "database_bytes": size,
        "compression_level": compression_level,
        "backup_bytes": made.size_bytes,
        "cp_seconds": round(cp_seconds, 3),
        "backup_seconds": round(backup_seconds, 3),
        "backup_vs_cp": round(backup_seconds / cp_seconds, 2),
        "verify_seconds": round(verify_seconds, 3),
        "verify_vs_cp": round(verify_seconds / cp_seconds, 2),
        "verified": verified.ok,
        "restore_seconds_total": round(restore_seconds, 3),
        "restore_seconds_reported": restored["seconds"],
        # Writers are refused from the moment the restore's window opens until it closes: the drain
        # (with its grace for requests in flight), the safety backup and the copy into place.
        "restore_writes_refused_seconds": restored["writes_refused_seconds"],
        "restore_refused_steps_seconds": restored["refused_steps_seconds"],
        "restore_ok": restored["ok"],
        "writes_during_backup": len(during),
        "max_write_stall_seconds": round(during[-1], 4) if during else None,
        "p99_write_seconds": round(during[int(len(during) * 0.99) - 1], 4) if len(during) > 1 else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--compression-level", type=int, default=1, help="zstd level; 0 stores uncompressed")
    args = parser.parse_args()
    result = run(args.size_mb, args.compression_level)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"maintenance-{args.size_mb}mb-zstd{args.compression_level}.json"
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print(f"written to {out}")


if __name__ == "__main__":
    main()
