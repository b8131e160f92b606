"""On PostgreSQL: two scheduler processes share one database, and a pg_dump backup round-trips."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections import Counter

import pytest
from sqlalchemy import select

from memo_coach.auth.models import User
from memo_coach.auth.users import create_user
from memo_coach.config_store import versions
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.maintenance import task_registry as registry
from memo_coach.maintenance.backups.restore import restore_backup
from memo_coach.maintenance.backups.service import BackupTarget, create_backup, verify_backup
from memo_coach.maintenance.scheduler.models import TaskRun
from tests.conftest import _truncate_all
from tests.support.helpers import REPO, initialise, make_settings

pytestmark = pytest.mark.postgres

# A scheduler process with one extra task that takes a little time, run for a few seconds.
WORKER = textwrap.dedent(
    """
    import sys, threading, time
    from pathlib import Path
    from memo_coach.assembly import assemble
    from memo_coach.maintenance import task_registry as registry

    assemble()

    @registry.register("t_probe", "probe")
    def probe(ctx):
        time.sleep(0.05)
        return registry.TaskOutcome("probed")

    from memo_coach.db.engine import make_engine, make_session_factory
    from memo_coach.maintenance.scheduler.loop import Scheduler
    from memo_coach.maintenance.scheduler.runner import TaskRunner
    from memo_coach.settings import Settings

    url, owner, seconds, data = sys.argv[1:5]
    engine = make_engine(url)
    settings = Settings(database_url=url, data_dir=Path(data), scheduler=False)
    scheduler = Scheduler(TaskRunner(settings, engine, make_session_factory(engine), owner), tick_seconds=0.05)
    scheduler.tick()  # warms up (imports, connections) so the timed part is all scheduling
    threading.Timer(float(seconds), scheduler.request_stop).start()
    scheduler.run_forever()
    """
)


@pytest.fixture
def pg_settings(tmp_path, pg_database):
    _truncate_all(pg_database)
    settings = make_settings(tmp_path, pg_database)
    initialise(settings)
    return settings


def test_two_scheduler_processes_run_each_scheduled_run_exactly_once(pg_settings, tmp_path):
    registry.register("t_probe", "probe")(lambda ctx: registry.TaskOutcome("probed"))
    try:
        engine = make_engine(pg_settings.database_url)
        sessions = make_session_factory(engine)
        with session_scope(sessions) as session:
            versions.apply(
                session,
                "maintenance",
                'tasks:\n  t_probe: {cron: "* * * * * *", expected_period_hours: 1}\n',
                author="test",
                reason="every second",
            )
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, pg_settings.database_url, f"worker-{i}", "3", str(tmp_path / f"d{i}")],
                cwd=REPO,
            )
            for i in (1, 2)
        ]
        for worker in workers:
            assert worker.wait(60) == 0
        with session_scope(sessions) as session:
            runs = list(session.scalars(select(TaskRun).where(TaskRun.task == "t_probe")))
        engine.dispose()
    finally:
        registry._TASKS.pop("t_probe", None)
    per_slot = Counter(r.scheduled_for for r in runs)
    assert len(per_slot) >= 2, "the schedule fired every second for three seconds"
    assert max(per_slot.values()) == 1, "no scheduled run happened twice"
    assert all(r.status == "succeeded" for r in runs)


def test_pg_dump_backup_verifies_and_restores_round_trip(pg_settings):
    engine = make_engine(pg_settings.database_url)
    sessions = make_session_factory(engine)
    target = BackupTarget.of(pg_settings, engine)
    made = create_backup(target)
    assert made.file.endswith(".pgdump") and made.row_counts["users"] == 1
    assert verify_backup(target, sessions, made.id).ok
    with pytest.raises(Exception, match="confirm"):
        restore_backup(target, sessions, made.id, confirmed=False, actor="test")
    with session_scope(sessions) as session:
        create_user(session, "after-backup", "writer", "a-password-long-enough", actor="test")
    result = restore_backup(target, sessions, made.id, confirmed=True, actor="test")
    assert result["ok"], result["reason"]
    with session_scope(sessions) as session:
        assert set(session.scalars(select(User.username))) == {"admin"}
    engine.dispose()
