"""Alerting: fault to incident and to notification for an LLM outage, one evaluation pass with 50 rules,
and a 30-day history replay of one rule.

    python -m bench.incidents_bench            (or: make bench BENCH_ARGS="--only incidents")

Goals (issue 12): the incident and its notification within interval + `for` + 5 s of the fault
(the drill runs with interval 1 s, window 2 s and `for` 2 s, so the goal is 8 s; the health sample
and window add to it); a 30-day replay of 15 s samples under 2 s.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from memo_coach import assembly
from memo_coach.config_store.versions import apply, read_active
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.incidents.config import MonitoringConfig
from memo_coach.incidents.evaluator import RuleEvaluator
from memo_coach.incidents.replay import replay_rule
from memo_coach.observability.history.models import MetricSample
from memo_coach.observability.history.rollup import RAW
from memo_coach.settings import Settings
from tests.support.helpers import initialise
from tests.support.outage import OutageDrill

REPO = Path(__file__).resolve().parents[1]
SERIES = ("error_rate", "latency_p95_s", "evaluations_degraded_ratio", "disk_used_ratio", "requests_per_s")
COMPONENTS = ("database", "disk", "config", "llm", "scheduler", "backups")


def fault_to_incident(workdir: Path) -> dict:
    interval, window, for_seconds = 1, 2, 2
    with OutageDrill(workdir, interval=interval, window=window, for_seconds=for_seconds) as drill:
        drill.evaluate()
        drill.until(lambda: drill.status()["components"][1]["state"] == "operational", 30)
        faulted = drill.kill_fake()
        drill.until(lambda: drill.incidents("open"), 60, between=drill.evaluate, step=0.1)
        opened = time.monotonic() - faulted
        drill.until(lambda: drill.hook.received, 30, step=0.05)
        notified = time.monotonic() - faulted
    return {
        "interval_s": interval,
        "window_s": window,
        "for_s": for_seconds,
        "goal_s": interval + for_seconds + 5,
        "fault_to_incident_s": round(opened, 2),
        "fault_to_notification_s": round(notified, 2),
    }


def _sessions(workdir: Path):
    settings = Settings(data_dir=workdir / "data", config_dir=REPO / "config", database_url="")
    initialise(settings)
    return make_session_factory(make_engine(settings.sqlalchemy_url))


def _rules_yaml(count: int) -> str:
    lines = ["interval_seconds: 15", "channels: []", "rules:"]
    for i in range(count):
        if i % 2:
            source = f"{{kind: health, components: [{COMPONENTS[i % len(COMPONENTS)]}], aggregate: min}}"
        else:
            source = f"{{kind: metric, series: {SERIES[i % len(SERIES)]}}}"
        lines.append(
            f"  - {{name: rule_{i:02d}, summary: bench rule {i}, severity: P3, source: {source},"
            f" threshold: {0.5 + i}, window_seconds: 300, for_seconds: 60}}"
        )
    return "\n".join(lines) + "\n"


def _store(sessions, now: datetime, seconds: int, names: list[tuple[str, str]]) -> int:
    rows = 0
    with session_scope(sessions) as session:
        for name, label in names:
            batch = [
                {
                    "ts": now - timedelta(seconds=s),
                    "resolution": RAW,
                    "replica": "r1",
                    "name": name,
                    "labels": label,
                    "value": (s % 97) / 100,
                }
                for s in range(0, seconds, 15)
            ]
            session.execute(MetricSample.__table__.insert(), batch)
            rows += len(batch)
    return rows


def evaluation_pass(workdir: Path, rules: int = 50, passes: int = 20) -> dict:
    sessions = _sessions(workdir)
    now = datetime.now(UTC)
    stored = _store(sessions, now, 3600, [(s, "") for s in SERIES] + [("health_status", c) for c in COMPONENTS])
    with session_scope(sessions) as session:
        apply(session, "monitoring", _rules_yaml(rules), author="bench", reason="50 rules")
    evaluator = RuleEvaluator(sessions, "bench")
    timings = []
    for i in range(passes):
        started = time.perf_counter()
        assert evaluator.tick(now + timedelta(seconds=15 * i)) is not None
        timings.append(time.perf_counter() - started)
    return {
        "rules": rules,
        "samples_stored": stored,
        "passes": passes,
        "median_ms": round(statistics.median(timings) * 1000, 1),
        "max_ms": round(max(timings) * 1000, 1),
    }


def history_replay(workdir: Path, days: int = 30) -> dict:
    sessions = _sessions(workdir)
    now = datetime.now(UTC)
    stored = _store(sessions, now, days * 86400, [("latency_p95_s", "")])
    rule = MonitoringConfig.model_validate(
        {
            "rules": [
                {
                    "name": "slow",
                    "summary": "slow",
                    "severity": "P3",
                    "threshold": 0.9,
                    "source": {"kind": "metric", "series": "latency_p95_s"},
                    "window_seconds": 300,
                    "for_seconds": 60,
                }
            ]
        }
    ).rules[0]
    with session_scope(sessions) as session:
        interval = read_active(session, MonitoringConfig).interval_seconds
        started, cpu = time.perf_counter(), time.process_time()
        result = replay_rule(session, rule, now - timedelta(days=days), now, interval)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "days": days,
        "samples": stored,
        "steps": result["steps"],
        "episodes": result["fired"],
        "seconds": round(took, 3),
        "cpu_seconds": round(cpu, 3),  # this process's CPU: the same whatever else the machine runs
        "goal_s": 2.0,
    }


def run() -> dict:
    assembly.assemble()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for name in ("drill", "pass", "replay"):
            (base / name).mkdir()
        return {
            "llm_outage": fault_to_incident(base / "drill"),
            "evaluation_pass": evaluation_pass(base / "pass"),
            "history_replay": history_replay(base / "replay"),
        }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
