"""Checks of what the app depends on while it runs: the LLM, the scheduler, backups, open incidents."""

from __future__ import annotations

from sqlalchemy import select

from memo_coach.coaching.config_schemas import LLMConfig
from memo_coach.coaching.llm.factory import choose_provider
from memo_coach.config_store.loader import load_file, parse
from memo_coach.config_store.versions import active_version
from memo_coach.maintenance.backups.health import backup_health, last_good_verification
from memo_coach.maintenance.scheduler.health import task_states
from memo_coach.maintenance.scheduler.models import TaskRun
from memo_coach.support.doctor import llm_probe
from memo_coach.support.doctor.result import FAIL, OK, WARN, CheckResult, DoctorContext, ok, problem, unreachable
from memo_coach.support.incident_view import incidents

KEY_REFUSED = (401, 403)


def _llm_config(ctx: DoctorContext) -> LLMConfig:
    """The active llm.yaml; the file on disk when the database cannot say."""
    if not ctx.database_error:
        with ctx.sessions() as session:
            version = active_version(session, "llm")
        if version is not None:
            return parse("llm", version.content)
    return load_file("llm", ctx.settings.config_dir)[0]


def _secret(value) -> str | None:
    return value.get_secret_value() if value else None


def check_llm(ctx: DoctorContext) -> CheckResult:
    """One model-list call, no tokens spent, under what is left of the LLM deadline, no retries."""
    if ctx.offline:
        return ok("llm", "skipped: --offline")
    config = _llm_config(ctx)
    keys = {"anthropic": _secret(ctx.settings.anthropic_api_key), "openai": _secret(ctx.settings.openai_api_key)}
    provider, reason = choose_provider(config, keys["anthropic"], keys["openai"])
    if provider == "offline":
        return ok("llm", f"skipped: the offline analyzer answers ({reason})", provider="offline")
    settings = getattr(config, provider)
    request = llm_probe.models_request(provider, settings.base_url, keys[provider])
    deadline = ctx.config.doctor.llm_deadline_seconds
    result = llm_probe.probe(request, ctx.remaining(deadline))
    details = {"provider": provider, "model": settings.model, "url": request.full_url, "http_status": result.status}
    if result.reachable:
        return ok("llm", f"{provider} reachable and the key accepted ({settings.model})", **details)
    refused = result.status in KEY_REFUSED
    return problem(
        FAIL if refused else WARN,
        "llm",
        f"{provider}: {'the API key was refused' if refused else 'not usable now'}: "
        f"{f'no answer within the {deadline:g} s deadline' if result.timed_out else result.message}"[:400],
        "set a valid key (ANTHROPIC_API_KEY / OPENAI_API_KEY) and restart"
        if refused
        else "the offline analyzer answers meanwhile; see the runbook for 429, 529 and timeouts",
        "llm",
        **details,
    )


def check_scheduler(ctx: DoctorContext) -> CheckResult:
    if ctx.database_error:
        return unreachable("scheduler", ctx)
    with ctx.sessions() as session:
        states = task_states(session, ctx.now)
        runs = session.scalars(select(TaskRun).order_by(TaskRun.id.desc()).limit(5)).all()
        last_runs = [
            {"task": r.task, "status": r.status, "started_at": r.started_at.isoformat(), "summary": r.summary}
            for r in runs
        ]
    overdue = [s["task"] for s in states if s["overdue"]]
    failing = [s["task"] for s in states if s["last_status"] in ("failed", "timed_out")]
    details = {"last_runs": last_runs, "overdue": overdue, "failing": failing}
    if overdue or failing:
        words = [f"overdue: {', '.join(overdue)}"] * bool(overdue) + [f"last run failed: {', '.join(failing)}"] * bool(
            failing
        )
        return problem(
            WARN,
            "scheduler",
            "; ".join(words),
            "check that the web process runs with MEMO_COACH_SCHEDULER=on or `memo-coach worker` runs; "
            "`memo-coach tasks history` shows why runs failed",
            "scheduler",
            **details,
        )
    last = f"; last run {last_runs[0]['task']} {last_runs[0]['status']}" if last_runs else ""
    return ok("scheduler", f"{len(states)} scheduled tasks on time{last}", **details)


def check_backups(ctx: DoctorContext) -> CheckResult:
    if ctx.database_error:
        return unreachable("backups", ctx)
    with ctx.sessions() as session:
        status = backup_health(session)
        good = last_good_verification(session)
    if status.status == "unhealthy":
        return problem(
            FAIL, "backups", status.reason, "take and verify a new backup now: `memo-coach backup create`", "backup"
        )
    if good is None:
        return problem(
            WARN, "backups", status.reason, "run `memo-coach backup create` (it verifies the copy)", "backup"
        )
    age_hours = (ctx.now - good.at).total_seconds() / 3600
    if age_hours > ctx.config.doctor.backup_max_age_hours:
        return problem(
            WARN,
            "backups",
            f"the newest verified backup is {age_hours:.0f} hours old",
            "check the backup task (`memo-coach tasks history backup`), then `memo-coach backup create`",
            "backup",
            last_verified_at=good.at.isoformat(),
        )
    if status.status != "healthy":
        return problem(
            WARN,
            "backups",
            status.reason,
            "run the restore drill again: `memo-coach tasks run restore_drill`",
            "backup",
        )
    return ok(
        "backups", f"backup {good.backup_id} verified {age_hours:.0f} h ago", last_verified_at=good.at.isoformat()
    )


def check_incidents(ctx: DoctorContext) -> CheckResult:
    view = incidents()
    if not view.available:
        return CheckResult("incidents", OK, f"skipped: {view.reason}")
    if ctx.database_error:
        return unreachable("incidents", ctx)
    with ctx.sessions() as session:
        open_now = view.open_incidents(session)
    if open_now:
        names = "; ".join(f"{i.ref} {i.title} ({i.component}, {i.status})" for i in open_now[:5])
        return problem(
            WARN,
            "incidents",
            f"{len(open_now)} open: {names}",
            "follow the incident's runbook; the status page tells writers",
            "incidents",
            incidents=[i.to_dict() for i in open_now],
        )
    return ok("incidents", "no open incidents")
