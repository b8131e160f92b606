"""The composition root: two runtimes in one process share nothing, and one stop ends what one start began."""

from __future__ import annotations

import threading
import time

import psutil
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from memo_coach.coaching.models import Evaluation
from memo_coach.db.engine import session_scope
from memo_coach.runtime import Purpose, Runtime
from memo_coach.web.app import create_app
from tests.support.helpers import initialise, make_settings, sign_in

MEMO = "We request $40,000 by May 1 to replace the ticketing tool. It cuts handling time by 20% per the Q3 study."
# Every long-lived part a runtime owns; none may be the same object in two runtimes.
PARTS = (
    "engine",
    "sessions",
    "config",
    "llm_process",
    "evaluators",
    "coach",
    "submissions",
    "observability",
    "metrics",
    "rule_evaluator",
    "tasks",
    "scheduler",
    "sweeper",
    "submit_threads",
    "chat_threads",
)


def _runtime(tmp_path, name: str, **overrides) -> Runtime:
    settings = make_settings(tmp_path / name, f"sqlite:///{tmp_path / name / 'memo_coach.db'}", **overrides)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    password = initialise(settings).admin_password
    runtime = Runtime(settings, Purpose.WEB)
    runtime.admin_password = password  # for the test only
    return runtime


def _stored(runtime: Runtime) -> int:
    with session_scope(runtime.sessions) as session:
        return session.scalar(select(func.count()).select_from(Evaluation))


def _stranded(client: TestClient, headers: dict) -> float:
    """What this app's /metrics says of stranded evaluations (read from the database at scrape time)."""
    text = client.get("/metrics", headers=headers).text
    family = next(f for f in text_string_to_metric_families(text) if f.name == "memo_coach_evaluations_pending")
    return next(s.value for s in family.samples if s.labels == {"state": "stranded"})


def _strand_one(runtime: Runtime) -> None:
    """One evaluation of this runtime's database left pending with no live owner (its sweeper is off)."""
    with session_scope(runtime.sessions) as session:
        evaluation = session.scalars(select(Evaluation)).first()
        evaluation.status, evaluation.lease_owner, evaluation.lease_expires_at = "pending", None, None


def test_two_runtimes_in_one_process_share_no_part(tmp_path):
    first, second = _runtime(tmp_path, "a"), _runtime(tmp_path, "b")
    try:
        for part in PARTS:
            mine, theirs = getattr(first, part), getattr(second, part)
            assert mine is not theirs, part
        assert first.observability.health is not second.observability.health
        assert first.coach.queue is not second.coach.queue
        assert first.evaluators.llm_process is first.llm_process  # a runtime's parts are its own, wired together
    finally:
        first.stop()
        second.stop()


def test_two_apps_in_one_process_keep_their_writers_data_apart(tmp_path):
    first, second = _runtime(tmp_path, "a"), _runtime(tmp_path, "b")
    with TestClient(create_app(runtime=first)) as one, TestClient(create_app(runtime=second)) as two:
        one_admin = sign_in(one, "admin", first.admin_password)
        two_admin = sign_in(two, "admin", second.admin_password)
        for _ in range(2):
            assert (
                one.post("/api/v1/evaluations/submit", json={"text_content": MEMO}, headers=one_admin).status_code
                == 201
            )
        assert two.post("/api/v1/evaluations/submit", json={"text_content": MEMO}, headers=two_admin).status_code == 201
        # Each app stored into its own database, and each /metrics reads its own (the last app created
        # no longer wins the database-backed series).
        assert (_stored(first), _stored(second)) == (2, 1)
        _strand_one(first)
        assert (_stranded(one, one_admin), _stranded(two, two_admin)) == (1.0, 0.0)
        one_sessions = one.get("/api/v1/evaluations", headers=one_admin).json()["meta"]["pagination"]["total"]
        assert one_sessions == 2


def test_stop_ends_every_loop_start_began(tmp_path):
    loops = {"scheduler": True, "history_sampler": True, "alert_evaluator": True, "resume_pending": True}
    runtime = _runtime(tmp_path, "a", **loops)
    before = set(threading.enumerate())
    runtime.start()
    started = set(threading.enumerate()) - before
    assert len(started) >= len(loops), [t.name for t in started]
    runtime.stop()
    deadline = time.monotonic() + 10
    while any(t.is_alive() for t in started) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [t.name for t in started if t.is_alive()] == []


def test_stop_ends_the_analysis_processes_even_when_nothing_evaluated(tmp_path):
    """The analysis processes start with a web runtime, before any evaluator exists to close them."""
    runtime = _runtime(tmp_path, "a", analysis_processes=1)

    def analysis_children() -> list[psutil.Process]:
        children = psutil.Process().children()
        return [c for c in children if "memo_coach.coaching.offline.analysis_child" in " ".join(c.cmdline())]

    runtime.start()
    deadline = time.monotonic() + 30
    while not analysis_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    [child] = analysis_children()
    assert "evaluators" not in runtime.__dict__
    runtime.stop()
    child.wait(timeout=10)  # psutil.TimeoutExpired if it outlived its runtime
