"""The scheduler: claims, failures, timeouts, overdue tasks, and what health and metrics say about them."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, update

from memo_coach.config_store import versions
from memo_coach.config_store.loader import ConfigError, parse
from memo_coach.db.base import utcnow
from memo_coach.db.engine import session_scope
from memo_coach.maintenance import task_registry as registry
from memo_coach.maintenance.metrics import MaintenanceCollector
from memo_coach.maintenance.scheduler import runner, service
from memo_coach.maintenance.scheduler.health import scheduler_health
from memo_coach.maintenance.scheduler.loop import Scheduler
from memo_coach.maintenance.scheduler.models import TaskLease, TaskRun
from memo_coach.maintenance.scheduler.runner import TaskRunner

RELEASE = threading.Event()


def _raises(ctx):
    raise RuntimeError("disk on fire")


def _hangs(ctx):
    RELEASE.wait(10)  # released at the end of the test so no thread outlives it
    return registry.TaskOutcome("woke up")


def _fine(ctx):
    return registry.TaskOutcome("all good", {"n": 1})


@pytest.fixture
def test_tasks():
    """Registers three tasks for these tests only."""
    for name, fn in (("t_raises", _raises), ("t_hangs", _hangs), ("t_fine", _fine)):
        registry.register(name, f"test task {name}")(fn)
    RELEASE.clear()
    yield
    RELEASE.set()
    for name in ("t_raises", "t_hangs", "t_fine"):
        registry._TASKS.pop(name, None)


def _apply(sessions, tasks_yaml: str) -> None:
    with session_scope(sessions) as session:
        versions.apply(session, "maintenance", f"tasks:\n{tasks_yaml}", author="test", reason="test schedule")


def _metrics(sessions) -> str:
    registry = CollectorRegistry()
    registry.register(MaintenanceCollector(sessions))
    return generate_latest(registry).decode()


def _sample(text: str, name: str, **labels) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    raise AssertionError(f"no sample {name}{labels}")


def _make_due(sessions, name: str) -> None:
    with session_scope(sessions) as session:
        session.execute(
            update(TaskLease).where(TaskLease.name == name).values(next_run_at=utcnow() - timedelta(seconds=1))
        )


def _runs(sessions, name: str) -> list[TaskRun]:
    with session_scope(sessions) as session:
        return list(session.scalars(select(TaskRun).where(TaskRun.task == name).order_by(TaskRun.id)))


def test_a_task_that_raises_is_recorded_failed_pushed_forward_and_shown_in_health_and_metrics(
    test_tasks, ops_settings, engine, sessions
):
    _apply(sessions, '  t_raises: {cron: "0 3 * * *", expected_period_hours: 24}\n')
    scheduler = Scheduler(TaskRunner(ops_settings, engine, sessions, "one"))
    scheduler.tick()  # creates the lease, due tomorrow at 03:00
    _make_due(sessions, "t_raises")
    assert scheduler.tick() == [("t_raises", "failed")]
    assert scheduler.tick() == [], "the next run moved forward: no crash loop"
    [run] = _runs(sessions, "t_raises")
    assert run.status == "failed" and run.reason == "RuntimeError: disk on fire"
    with session_scope(sessions) as session:
        health = scheduler_health(session, utcnow())
    assert health.status == "degraded" and "t_raises" in health.reason
    text = _metrics(sessions)
    assert 'memo_coach_task_runs_total{status="failed",task="t_raises"} 1.0' in text


def test_a_task_that_hangs_past_its_timeout_is_recorded_timed_out(test_tasks, ops_settings, engine, sessions):
    _apply(sessions, '  t_hangs: {cron: "0 3 * * *", expected_period_hours: 24, timeout_seconds: 0.3}\n')
    scheduler = Scheduler(TaskRunner(ops_settings, engine, sessions, "one"))
    scheduler.tick()
    _make_due(sessions, "t_hangs")
    assert scheduler.tick() == [("t_hangs", "timed_out")]
    [run] = _runs(sessions, "t_hangs")
    assert "timeout" in run.reason and run.duration_seconds < 2
    with session_scope(sessions) as session:
        assert "t_hangs" in scheduler_health(session, utcnow()).reason
        lease = session.get(TaskLease, "t_hangs")
        assert lease.owner == "one", "the lease is kept while the abandoned thread may still run"
    assert 'memo_coach_task_runs_total{status="timed_out",task="t_hangs"} 1.0' in _metrics(sessions)


def test_a_missed_schedule_makes_the_task_overdue_in_health_and_metrics(test_tasks, ops_settings, engine, sessions):
    _apply(sessions, '  t_fine: {cron: "0 3 * * *", expected_period_hours: 24}\n')
    Scheduler(TaskRunner(ops_settings, engine, sessions, "test-runner")).tick()
    three_days_ago = utcnow() - timedelta(days=3)
    with session_scope(sessions) as session:
        session.execute(
            update(TaskLease)
            .where(TaskLease.name == "t_fine")
            .values(last_success_at=three_days_ago, last_status="succeeded")
        )
    with session_scope(sessions) as session:
        health = scheduler_health(session, utcnow())
    assert health.status == "degraded" and health.reason == "overdue: t_fine"
    text = _metrics(sessions)
    assert 'memo_coach_task_overdue{task="t_fine"} 1.0' in text
    assert _sample(text, "memo_coach_task_last_success_timestamp_seconds", task="t_fine") == pytest.approx(
        three_days_ago.timestamp(), abs=0.01
    )


def test_a_late_scheduler_makes_up_a_missed_run_once_and_the_task_is_no_longer_overdue(
    test_tasks, ops_settings, engine, sessions
):
    _apply(sessions, '  t_fine: {cron: "0 3 * * *", expected_period_hours: 24}\n')
    scheduler = Scheduler(TaskRunner(ops_settings, engine, sessions, "test-runner"))
    scheduler.tick()
    with session_scope(sessions) as session:
        session.execute(update(TaskLease).values(next_run_at=utcnow() - timedelta(days=2)))  # nobody ran for two days
    assert scheduler.tick() == [("t_fine", "succeeded")]
    assert scheduler.tick() == []
    with session_scope(sessions) as session:
        assert scheduler_health(session, utcnow()).status == "healthy"
        assert session.get(TaskLease, "t_fine").next_run_at > utcnow()
    assert 'memo_coach_task_overdue{task="t_fine"} 0.0' in _metrics(sessions)


def test_a_lease_left_by_a_crashed_runner_expires(test_tasks, runtime, sessions):
    _apply(sessions, '  t_fine: {cron: "0 3 * * *", expected_period_hours: 24}\n')
    Scheduler(runtime).tick()
    with session_scope(sessions) as session:
        session.execute(update(TaskLease).values(owner="crashed", lease_expires_at=utcnow() + timedelta(minutes=5)))
        assert not runner.claim_now(session, "t_fine", runtime, 10), "a live lease holds"
        session.execute(update(TaskLease).values(lease_expires_at=utcnow() - timedelta(seconds=1)))
        assert runner.claim_now(session, "t_fine", runtime, 10), "an expired lease is free again"


def test_run_now_records_the_operator_and_skips_a_task_running_elsewhere(test_tasks, runtime, sessions):
    run_id = service.run_now(runtime, "t_fine", "operator", "olga")
    with session_scope(sessions) as session:
        run = service.get_run(session, run_id)
        assert (run.status, run.trigger, run.actor, run.summary) == ("succeeded", "operator", "olga", "all good")
        session.execute(update(TaskLease).values(owner="elsewhere", lease_expires_at=utcnow() + timedelta(minutes=5)))
    skipped = service.run_now(runtime, "t_fine", "command_line", "cli")
    with session_scope(sessions) as session:
        run = service.get_run(session, skipped)
        assert run.status == "skipped" and "already running" in run.reason


def test_the_schedule_refuses_unregistered_tasks_and_bad_cron():
    with pytest.raises(ConfigError) as unknown:
        parse("maintenance", 'tasks:\n  health_report: {cron: "0 3 * * *", expected_period_hours: 24}\n')
    assert "unknown task(s) health_report" in str(unknown.value)
    with pytest.raises(ConfigError) as bad:
        parse("maintenance", 'tasks:\n  backup: {cron: "0 25 * * *", expected_period_hours: 24}\n')
    assert "tasks.backup.cron" in str(bad.value)


def test_the_default_schedule_names_only_registered_tasks():
    from pathlib import Path

    from memo_coach.config_store.loader import load_file

    config, _ = load_file("maintenance", Path(__file__).resolve().parents[3] / "config")
    assert {"backup", "restore_drill", "integrity_quick", "integrity_full", "db_vacuum", "archive"} <= set(config.tasks)
    assert set(config.tasks) <= set(registry.tasks())


def test_an_unreadable_database_leaves_the_series_out_instead_of_breaking_the_scrape(tmp_path):
    from memo_coach.db.engine import make_engine, make_session_factory

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # no tables at all
    text = _metrics(make_session_factory(engine))
    engine.dispose()
    assert _sample(text, "memo_coach_maintenance_metrics_up") == 0.0
    assert "memo_coach_task_overdue" not in text
