"""Database upkeep: integrity checks, statistics, WAL checkpoints, VACUUM, and a PostgreSQL bloat report."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from memo_coach.maintenance.backups.sqlite_copy import database_path


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def integrity_check(engine: Engine, full: bool) -> list[str]:
    """SQLite's integrity_check (full) or quick_check; on PostgreSQL, catalogue and index sanity via amcheck
    is not installed by default, so a full pass reads every table instead. Empty list: no problem found."""
    if not is_sqlite(engine):
        return _pg_read_everything(engine) if full else []
    pragma = "integrity_check" if full else "quick_check"
    with engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql(f"PRAGMA {pragma}(20)")]
    return [] if rows == ["ok"] else rows


def _pg_read_everything(engine: Engine) -> list[str]:
    problems = []
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
        for table in tables:
            try:
                conn.execute(text(f'SELECT count(*) FROM "{table}"'))
            except Exception as exc:  # a damaged page surfaces as a read error on its table
                problems.append(f"{table}: {exc}")
    return problems


def analyse(engine: Engine) -> str:
    """Refreshes planner statistics: PRAGMA optimize on SQLite, ANALYZE on PostgreSQL."""
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA optimize" if is_sqlite(engine) else "ANALYZE")
    return "PRAGMA optimize" if is_sqlite(engine) else "ANALYZE"


def wal_path(engine: Engine) -> Path:
    return Path(f"{database_path(engine)}-wal")


def wal_size_bytes(engine: Engine) -> int:
    wal = wal_path(engine)
    return wal.stat().st_size if wal.exists() else 0


def checkpoint_if_large(engine: Engine, threshold_bytes: int) -> dict:
    """Truncates the WAL once it is past the threshold (readers keep it from shrinking on its own)."""
    before = wal_size_bytes(engine)
    if before < threshold_bytes:
        return {"wal_bytes": before, "checkpointed": False}
    with engine.connect() as conn:
        busy, log_frames, done = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    return {
        "wal_bytes": before,
        "checkpointed": True,
        "busy": bool(busy),
        "frames": log_frames,
        "moved": done,
        "wal_bytes_after": wal_size_bytes(engine),
    }


def vacuum(engine: Engine) -> dict:
    """VACUUM rewrites the SQLite file (space back to the disk); VACUUM ANALYZE on PostgreSQL."""
    if is_sqlite(engine):
        path = database_path(engine)
        before = path.stat().st_size
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM")
        return {"bytes_before": before, "bytes_after": path.stat().st_size}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    return {"bloat": pg_bloat_report(engine), "unused_indexes": pg_unused_indexes(engine)}


def pg_bloat_report(engine: Engine) -> list[dict]:
    """Tables with the most dead rows, from the statistics collector (an estimate, not a page scan)."""
    query = text(
        "SELECT relname, n_live_tup, n_dead_tup, pg_total_relation_size(relid) AS bytes "
        "FROM pg_stat_user_tables ORDER BY n_dead_tup DESC LIMIT 10"
    )
    with engine.connect() as conn:
        return [
            {
                "table": r.relname,
                "live_rows": r.n_live_tup,
                "dead_rows": r.n_dead_tup,
                "bytes": r.bytes,
                "dead_ratio": round(r.n_dead_tup / max(1, r.n_live_tup + r.n_dead_tup), 3),
            }
            for r in conn.execute(query)
        ]


def pg_unused_indexes(engine: Engine) -> list[dict]:
    """Indexes never scanned since statistics were reset, unique ones excepted (they enforce rules)."""
    query = text(
        "SELECT s.relname, s.indexrelname, pg_relation_size(s.indexrelid) AS bytes "
        "FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid "
        "WHERE s.idx_scan = 0 AND NOT i.indisunique ORDER BY bytes DESC"
    )
    with engine.connect() as conn:
        return [{"table": r.relname, "index": r.indexrelname, "bytes": r.bytes} for r in conn.execute(query)]
