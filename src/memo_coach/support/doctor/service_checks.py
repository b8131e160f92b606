"""Checks of what the app depends on while it runs: the LLM, the scheduler, backups, open incidents.

The LLM, scheduler and backup checks are health's own; the doctor adds the age of the newest verified
backup, which health leaves to the scheduler's dead man's switch, a short real answer from the LLM
(health only lists models), and reads the LLM's settings from config/llm.yaml on disk when the
database cannot say.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from memo_coach.coaching.config_schemas import LLMConfig
from memo_coach.coaching.llm_probe import llm_target, probe_llm
from memo_coach.component_status import HEALTHY
from memo_coach.config_store.loader import load_file
from memo_coach.config_store.versions import read_active
from memo_coach.maintenance.backups.health import backup_health, last_good_verification
from memo_coach.maintenance.scheduler.health import scheduler_health
from memo_coach.support.doctor.llm_answer import check_answer
from memo_coach.support.doctor.result import OK, WARN, CheckResult, DoctorContext, from_health, ok, problem, unreachable
from memo_coach.support.incident_summaries import open_incidents


def check_llm(ctx: DoctorContext) -> CheckResult:
    """Health's probe, unrationed, under what is left of support.yaml's LLM deadline, no retries; then,
    if the provider answers, a tiny real completion whose answer must parse (llm_answer.py)."""
    if ctx.offline:
        return ok("llm", "skipped: --offline")
    target, reason = llm_target(_llm_config(ctx), ctx.settings)
    if target is None:
        return ok("llm", f"skipped: the offline analyzer answers ({reason})", provider="offline")
    listed = from_health("llm", probe_llm(target, ctx.remaining(ctx.config.doctor.llm_deadline_seconds)))
    return check_answer(target, listed) if listed.status == OK else listed


def _llm_config(ctx: DoctorContext) -> LLMConfig:
    """The active llm.yaml; the file on disk when the database cannot say."""
    if not ctx.database_error:
        try:
            with ctx.sessions() as session:
                return read_active(session, LLMConfig)
        except SQLAlchemyError:
            pass
    return load_file("llm", ctx.settings.config_dir)[0]


def check_scheduler(ctx: DoctorContext) -> CheckResult:
    if ctx.database_error:
        return unreachable("scheduler", ctx)
    with ctx.sessions() as session:
        return from_health("scheduler", scheduler_health(session, ctx.now))


def check_backups(ctx: DoctorContext) -> CheckResult:
    if ctx.database_error:
        return unreachable("backups", ctx)
    with ctx.sessions() as session:
        status = backup_health(session)
        good = last_good_verification(session)
    max_age = timedelta(hours=ctx.config.doctor.backup_max_age_hours)
    if status.status == HEALTHY and good is not None and ctx.now - good.at > max_age:
        return problem(
            WARN,
            "backups",
            f"the newest verified backup is {(ctx.now - good.at).total_seconds() / 3600:.0f} hours old",
            "check the backup task (`memo-coach tasks history --task backup`), then `memo-coach backup create`",
            last_verified_at=good.at.isoformat(),
        )
    return from_health("backups", status)


def check_incidents(ctx: DoctorContext) -> CheckResult:
    if ctx.database_error:
        return unreachable("incidents", ctx)
    with ctx.sessions() as session:
        open_now = open_incidents(session)
    if open_now:
        # "#5", never a bare 5: "1 open: 5 Disk filling" was read as five incidents, then seven.
        names = "; ".join(f"#{i.ref} {i.title} ({i.component}, {i.status})" for i in open_now[:5])
        more = f"; and {len(open_now) - 5} more" if len(open_now) > 5 else ""
        count = "1 open incident" if len(open_now) == 1 else f"{len(open_now)} open incidents"
        return problem(
            WARN,
            "incidents",
            f"{count}: {names}{more}",
            "follow the incident's runbook; the status page tells writers",
            incidents=[i.to_dict() for i in open_now],
        )
    return ok("incidents", "no open incidents")
