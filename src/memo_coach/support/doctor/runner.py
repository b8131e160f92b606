"""Runs every doctor check at once, each in its own thread, and answers within a fixed budget.

A check still running when the budget is spent (an LLM that hangs, a huge integrity check) is
reported as WARN "no answer within N s" and left behind in its daemon thread: the doctor must
answer while things are broken, which is exactly when checks hang. The LLM check alone may take a few
seconds more, and only when its provider answers: it then waits for one short real answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from memo_coach.audit.sealing import sealed
from memo_coach.config_store.versions import read_active
from memo_coach.db.base import utcnow
from memo_coach.db.engine import make_engine, make_session_factory
from memo_coach.settings import Settings
from memo_coach.support.config import SupportConfig
from memo_coach.support.doctor import database_checks, service_checks, system_checks
from memo_coach.support.doctor.llm_answer import ANSWER_SECONDS
from memo_coach.support.doctor.result import FAIL, WARN, CheckResult, DoctorContext, runbook, worst

Check = Callable[[DoctorContext], CheckResult]
# The order they start in: the LLM first, its network call being the slowest; it is reported last.
CHECKS: dict[str, Check] = {
    "llm": service_checks.check_llm,
    "versions": system_checks.check_versions,
    "configuration": system_checks.check_configuration,
    "database": database_checks.check_database,
    "integrity": database_checks.check_integrity,
    "disk": system_checks.check_disk,
    "file_modes": system_checks.check_file_modes,
    "scheduler": service_checks.check_scheduler,
    "backups": service_checks.check_backups,
    "audit_chain": database_checks.check_audit_chain,
    "pending_evaluations": database_checks.check_pending_evaluations,
    "incidents": service_checks.check_incidents,
}
REPORT_ORDER = [n for n in CHECKS if n != "llm"] + ["llm"]
PG_CONNECT_TIMEOUT = 2  # libpq's minimum
# The budget an operator may ask for instead of support.yaml's (`--budget`, `?budget=`).
MIN_BUDGET_SECONDS, MAX_BUDGET_SECONDS = 0.1, 30.0


def doctor_engine(settings: Settings):
    """An engine that fails fast: no pool, short connect and statement timeouts; never creates a database."""
    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[-1])
        if not path.is_file():
            raise FileNotFoundError(f"no database at {path}; run `memo-coach init`")
        return make_engine(url)
    url = "postgresql+psycopg://" + url.removeprefix("postgresql://") if url.startswith("postgresql://") else url
    options = {"connect_timeout": PG_CONNECT_TIMEOUT, "options": "-c statement_timeout=1500"}
    return create_engine(url, poolclass=NullPool, connect_args=options)


def build_context(settings: Settings, *, offline: bool = False) -> DoctorContext:
    try:
        engine = doctor_engine(settings)
        sessions, error = sealed(make_session_factory(engine), settings), None  # seals and anchors checked too
    except (OSError, ValueError, ImportError) as exc:
        engine, sessions, error = None, None, str(exc)
    ctx = DoctorContext(settings, engine, sessions, SupportConfig(), utcnow(), offline, error)
    return ctx


def _load_config(ctx: DoctorContext) -> None:
    """The active support.yaml thresholds, when the database answers in time; the defaults otherwise."""
    if ctx.database_error:
        return
    try:
        with ctx.sessions() as session:
            ctx.config = read_active(session, SupportConfig)
    except Exception as exc:
        ctx.database_error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:200]}"


def _run_one(name: str, check: Check, ctx: DoctorContext) -> CheckResult:
    started = time.perf_counter()
    try:
        result = check(ctx)
    except Exception as exc:  # a check that breaks reports itself; the others still answer
        result = CheckResult(
            name,
            FAIL,
            f"the check failed: {type(exc).__name__}: {str(exc)[:300]}",
            "",
            runbook(name),
        )
    return CheckResult(**{**result.to_dict(), "seconds": round(time.perf_counter() - started, 3)})


def run_doctor(
    ctx: DoctorContext, budget: float | None = None, checks: dict[str, Check] | None = None
) -> dict[str, Any]:
    """{"status", "checked_at", "seconds", "checks": [...]}; never takes much longer than `budget`."""
    started = ctx.started
    checks = checks or CHECKS
    results: dict[str, CheckResult] = {}
    config_loader = threading.Thread(target=_load_config, args=(ctx,), daemon=True)
    config_loader.start()
    config_loader.join(0.3)
    budget = budget or ctx.config.doctor.budget_seconds
    threads = []
    for name, check in checks.items():
        thread = threading.Thread(
            target=lambda n=name, c=check: results.__setitem__(n, _run_one(n, c, ctx)), daemon=True
        )
        thread.start()
        threads.append(thread)
    for name, thread in zip(checks, threads, strict=True):
        thread.join(max(0.0, started + _allowed(name, budget, ctx) - time.perf_counter()))
    order = [n for n in REPORT_ORDER if n in checks] + [n for n in checks if n not in REPORT_ORDER]
    report = [results.get(n) or _timed_out(n, _allowed(n, budget, ctx)) for n in order]
    return {
        "status": worst([r.status for r in report]),
        "checked_at": ctx.now.isoformat(),
        "seconds": round(time.perf_counter() - started, 3),
        "checks": [r.to_dict() for r in report],
    }


def _allowed(name: str, budget: float, ctx: DoctorContext) -> float:
    """Seconds from the start a check may take: the budget, and for the LLM, once its model list
    answered in time, also the short real answer it asks for (which takes a second or two)."""
    if name == "llm" and not ctx.offline:
        return max(budget, ctx.config.doctor.llm_deadline_seconds + ANSWER_SECONDS)
    return budget


def _timed_out(name: str, budget: float) -> CheckResult:
    return CheckResult(
        name,
        WARN,
        f"no answer within {budget:g} s",
        "run the check's own tool (see the runbook) to wait for it",
        runbook(name),
        seconds=budget,
    )
