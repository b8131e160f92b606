"""The ops overview: one function behind the console page, the API and `memo-coach status`."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from memo_coach.observability.feedback.ratings import satisfaction
from memo_coach.observability.history.capacity import capacity_report
from memo_coach.observability.history.degradation import degradation_report
from memo_coach.observability.history.series import Window, labelled_totals, newest, recent, window
from memo_coach.observability.metrics import HTTP_DURATION
from memo_coach.observability.monitor import Observability
from memo_coach.observability.units import BYTES, COUNT, DAYS, RATE, human, rate_per, unit_of

CHARTS = {
    "latency_p95_s": "p95 latency",
    "error_rate": "5xx error rate",
    "requests_per_s": "requests",
    "evaluations_per_s": "evaluations",
    "evaluation_p95_s": "p95 evaluation time",
    "llm_availability": "LLM availability",
    "page_load_p95_s": "p95 page load",
    "helpful_ratio": "helpful ratings",
    "process_cpu_ratio": "process CPU",
    "process_memory_bytes": "process memory",
    "disk_used_ratio": "disk used",
    "database_bytes": "database size",
}
# How each chart's values read (observability/units.py): axes, hover values and summaries use it.
CHART_UNITS = {name: unit_of(name) for name in CHARTS}
# Charts of levels (how full, how big) are read by their latest value, as the capacity card and the disk
# check read them; the others by their mean over the window.
LEVELS = frozenset({"disk_used_ratio", "database_bytes", "process_memory_bytes"})

# Disk and network bytes per second (observability/io_counters.py), on one card of the console.
IO_SERIES = {
    "process_disk_read_bytes_per_s": "process disk reads",
    "process_disk_write_bytes_per_s": "process disk writes",
    "process_io_read_bytes_per_s": "process reads, sockets included",
    "process_io_write_bytes_per_s": "process writes, sockets included",
    "host_disk_read_bytes_per_s": "host disk reads",
    "host_disk_write_bytes_per_s": "host disk writes",
    "host_network_received_bytes_per_s": "host network received",
    "host_network_sent_bytes_per_s": "host network sent",
}
SLOW_LISTED = 10


def io_rates(session: Session, win: Window, now: datetime) -> list[dict[str, Any]]:
    """Each I/O series' mean, peak and latest rate over the window, in bytes per second."""
    rows = []
    for name, title in IO_SERIES.items():
        values = [v for _, v in recent(session, name, win, now)]
        rows.append(
            {
                "series": name,
                "title": title,
                "mean": sum(values) / len(values) if values else None,
                "peak": max(values, default=None),
                "latest": values[-1] if values else None,
            }
        )
    return rows


def slow_statements(obs: Observability) -> list[dict[str, Any]]:
    """This replica's newest slow statements (kept in memory since it started), for the console."""
    if obs.timing is None:
        return []
    return [
        {"at": s.at.isoformat(), "kind": s.kind, "table": s.table, "seconds": s.seconds, "sql": s.sql}
        for s in list(obs.timing.recent)[:SLOW_LISTED]
    ]


def slowest_routes(limit: int = 8) -> list[dict[str, Any]]:
    """This replica's routes by mean latency since it started, from the request histogram."""
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for family in HTTP_DURATION.collect():
        for sample in family.samples:
            key = (sample.labels["method"], sample.labels["route"])
            if sample.name.endswith("_sum"):
                sums[key][0] += sample.value
            elif sample.name.endswith("_count"):
                sums[key][1] += sample.value
    rows = [
        {"method": m, "route": r, "requests": int(n), "mean_ms": round(total / n * 1000, 2)}
        for (m, r), (total, n) in sums.items()
        if n
    ]
    return sorted(rows, key=lambda row: -row["mean_ms"])[:limit]


def chart_reading(points: list[tuple[datetime, float]], unit: str) -> dict[str, Any]:
    """What a chart's caption, axis and hover values say: mean and latest, and for a rate the one time
    unit all of them use (its script and its SVG pick the same from the same points)."""
    values = [v for _, v in points]
    return {
        "mean": sum(values) / len(values) if values else None,
        "latest": values[-1] if values else None,
        "per": rate_per(values) if unit == RATE else None,
    }


def chart_said(name: str, reading: dict[str, Any]) -> str:
    """A chart's reading in words, as its caption and `memo-coach status` say it: "latest 4.9 MB" for a
    level, "mean 1.25/s" for the others."""
    unit = CHART_UNITS[name]
    if name in LEVELS:
        return f"latest {human(reading['latest'], unit)}"
    return f"mean {human(reading['mean'], unit, reading['per'])}"


def capacity_facts(cap: dict[str, Any]) -> dict[str, str]:
    """The capacity card's lines (console and `memo-coach status`): a projection only where the history
    allows one, otherwise why not, never a slope through minutes of samples."""
    days = cap["disk_full_in_days"]
    disk = (
        f"{human(days, DAYS)} ({cap['disk_full_confidence']} confidence)"
        if days is not None
        else f"not projected ({cap['disk_full_not_projected'] or 'free space is not shrinking'})"
    )
    db, evals = cap["database_bytes"], cap["evaluations"]
    growth = db["growth_per_day"]
    database = human(db["latest"], BYTES) + (
        f", growing {human(growth, BYTES)} a day"
        if growth is not None
        else f"; growth not projected ({db['not_projected']})"
    )
    trend = evals["growth_per_day"]
    evaluations = f"{evals['last_30_days']} in 30 days" + (
        f", trend {'+' if trend > 0 else ''}{human(trend, COUNT)} per day each day"
        if trend is not None
        else f"; trend not projected ({evals['not_projected']})"
    )
    return {"disk full in": disk, "database": database, "evaluations": evaluations}


def readings(session: Session, window_name: str, now: datetime) -> dict[str, dict[str, Any]]:
    win = window(window_name)
    found = {name: chart_reading(recent(session, name, win, now), CHART_UNITS[name]) for name in CHARTS}
    for name in LEVELS:  # now, not the window's last complete bucket: the capacity card says the same
        found[name]["latest"] = newest(session, name, now)
    return found


def summary(session: Session, window_name: str, now: datetime) -> dict[str, float | None]:
    """Each chart's mean over the window, for the tiles and `memo-coach status`."""
    return {name: reading["mean"] for name, reading in readings(session, window_name, now).items()}


def overview(session: Session, obs: Observability, window_name: str, now: datetime) -> dict[str, Any]:
    settings = obs.settings
    win = window(window_name)
    charts = readings(session, win.name, now)
    return {
        "window": win.name,
        "health": obs.health.report(obs.context()),
        "summary": {name: reading["mean"] for name, reading in charts.items()},
        "charts": charts,
        "top_errors": labelled_totals(session, "errors_per_s", win, now, settings.sample_interval_seconds),
        "slowest_routes": slowest_routes(),
        "slow_statements": slow_statements(obs),
        "io": io_rates(session, win, now),
        "sample_interval_seconds": settings.sample_interval_seconds,
        "satisfaction": satisfaction(session, now),
        "capacity": capacity_report(session, now),
        "degradation": degradation_report(
            session, now, settings.degradation_latency_factor, settings.degradation_error_factor
        ),
    }
