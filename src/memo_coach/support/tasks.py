"""The reviews of the operating schedule as scheduled tasks; each report is kept in its task run."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from memo_coach.config_store.versions import read_active
from memo_coach.db.engine import session_scope
from memo_coach.maintenance.scheduler.models import SUCCEEDED, TaskRun
from memo_coach.maintenance.task_registry import TaskContext, TaskOutcome, register
from memo_coach.support.config import SupportConfig
from memo_coach.support.debt import debt_review
from memo_coach.support.doctor.runner import build_context, run_doctor
from memo_coach.support.doctor.system_checks import installed_versions
from memo_coach.support.image_packages import image_review
from memo_coach.support.image_packages import summary as image_summary
from memo_coach.support.reviews.configuration import configuration_review
from memo_coach.support.reviews.error_log import error_log_review
from memo_coach.support.reviews.monthly import process_review, system_review
from memo_coach.support.reviews.performance import performance_review
from memo_coach.support.technology import database_version, technology_review
from memo_coach.support.tickets.reports import ticket_report


def _known_signatures(ctx: TaskContext) -> set[str]:
    """Error kinds earlier daily reviews saw, so "new" survives log rotation."""
    with session_scope(ctx.sessions) as session:
        runs = session.scalars(
            select(TaskRun.details)
            .where(TaskRun.task == "error_log_review", TaskRun.status == SUCCEEDED)
            .order_by(TaskRun.id.desc())
            .limit(30)
        )
        return {sig for details in runs for sig in (details or {}).get("signatures", [])}


@register("error_log_review", "Daily error-log review: new error types, top errors with sample request ids")
def review_error_log(ctx: TaskContext) -> TaskOutcome:
    report = error_log_review(ctx.settings, ctx.now, _known_signatures(ctx))
    return TaskOutcome(f"{report['errors']} errors, {len(report['new_types'])} new types", report)


@register("performance_review", "Weekly performance analysis: latency and throughput against last week")
def review_performance(ctx: TaskContext) -> TaskOutcome:
    with session_scope(ctx.sessions) as session:
        report = performance_review(session, ctx.settings, ctx.now)
    latency = report["comparisons"][0]["change"]
    words = "no comparison yet" if latency is None else f"p95 latency {latency:+.0%} against last week"
    return TaskOutcome(words + ("; regressed" if report["latency_regressed"] else ""), report)


@register("support_review", "Weekly support review: volume, response and resolution times, satisfaction, causes")
def review_support(ctx: TaskContext) -> TaskOutcome:
    with session_scope(ctx.sessions) as session:
        report = ticket_report(session, ctx.now - timedelta(days=7), ctx.now, ctx.now)
    return TaskOutcome(f"{report['opened']} tickets opened, {len(report['overdue_now'])} overdue now", report)


@register("configuration_review", "Weekly configuration review: changes, refused edits, drift")
def review_configuration(ctx: TaskContext) -> TaskOutcome:
    with session_scope(ctx.sessions) as session:
        report = configuration_review(session, ctx.settings, ctx.now)
    return TaskOutcome(
        f"{len(report['changes'])} changes, {len(report['refusals'])} refusals, {len(report['drift'])} drifted files",
        report,
    )


@register("system_review", "Monthly system review and capacity assessment: health, incidents, SLOs, tickets")
def review_system(ctx: TaskContext) -> TaskOutcome:
    doctor = run_doctor(build_context(ctx.settings))
    with session_scope(ctx.sessions) as session:
        report = system_review(session, ctx.now, doctor)
    return TaskOutcome(
        f"health {doctor['status']}, {report['incidents']['count']} incidents, {report['tickets']['opened']} tickets",
        report,
    )


@register("process_review", "Monthly process-improvement review: action items open, done, overdue")
def review_process(ctx: TaskContext) -> TaskOutcome:
    with session_scope(ctx.sessions) as session:
        report = process_review(session, ctx.now)
    return TaskOutcome(f"{len(report['open'])} open action items, {len(report['overdue'])} overdue", report)


@register(
    "technology_review",
    "Monthly technology review: installed versus latest known, end-of-life dates, debt whose trigger has come,"
    " the container image's age and security updates",
)
def review_technology(ctx: TaskContext) -> TaskOutcome:
    with session_scope(ctx.sessions) as session:
        config = read_active(session, SupportConfig)
    report = technology_review(config, installed_versions(), database_version(ctx.engine), ctx.now)
    report["debt"] = debt_review(Path(config.technology.debt_register), ctx.engine, ctx.now)
    report["image"] = image_review(
        ctx.settings.image_packages, ctx.settings.apt_lists_dir, ctx.now, config.technology.image_max_age_days
    )
    return TaskOutcome(
        f"{len(report['behind'])} behind the latest known; past end of life: {', '.join(report['past_end_of_life']) or 'none'};"
        f" {image_summary(report['image'])}; debt due: {', '.join(d['id'] for d in report['debt']['come']) or 'none'}",
        report,
    )
