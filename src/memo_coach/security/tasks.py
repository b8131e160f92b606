"""Security maintenance as scheduled tasks: the daily summary, the weekly configuration review, the
vulnerability scan, the monthly access review and compliance report."""

from __future__ import annotations

from memo_coach.db.engine import session_scope
from memo_coach.maintenance.task_registry import TaskContext, TaskFailed, TaskOutcome, TaskSkipped, register
from memo_coach.security.access_review import review_view, start_review
from memo_coach.security.compliance import compliance_report, to_markdown
from memo_coach.security.config_review import security_review
from memo_coach.security.summary import access_audit, security_summary
from memo_coach.security.vulnerability_scan import SKIPPED, VULNERABLE, outcome, scan


@register("security_summary", "Failed sign-ins and lockouts of the last 24 hours")
def summary(ctx: TaskContext) -> TaskOutcome:
    with session_scope(ctx.sessions) as session:
        result = security_summary(session, ctx.now)
    return TaskOutcome(
        f"{result['failed_logins']} failed sign-ins, {result['lockout_refusals']} refused while locked out", result
    )


@register("access_audit", "Accounts by role, privileged and idle accounts, role changes of the last month")
def audit_access(ctx: TaskContext) -> TaskOutcome:
    with session_scope(ctx.sessions) as session:
        result = access_audit(session, ctx.now)
    return TaskOutcome(
        f"{result['accounts']} accounts, {len(result['privileged'])} privileged, {len(result['idle'])} idle", result
    )


@register("security_review", "Security configuration: secret key, file modes, cookies, proxy, limits, backups")
def review(ctx: TaskContext) -> TaskOutcome:
    with session_scope(ctx.sessions) as session:
        result = security_review(session, ctx.settings)
    counts = result["counts"]
    return TaskOutcome(f"{counts['high']} high, {counts['medium']} medium, {counts['low']} low findings", result)


@register(
    "vulnerability_scan",
    "Known vulnerabilities: pip-audit online, requirements.lock against an OSV database on disk, Debian "
    "security updates; skipped with the reasons when none can run here",
)
def vulnerabilities(ctx: TaskContext) -> TaskOutcome:
    checks = scan(ctx.settings)
    status, summary = outcome(checks)
    details = {"checks": [c.to_dict() for c in checks]}
    if status == VULNERABLE:
        raise TaskFailed(summary, details)
    if status == SKIPPED:
        raise TaskSkipped(summary)
    return TaskOutcome(summary, details)


@register("access_review", "Every account with role and activity, flagged for an admin to sign off")
def monthly_access_review(ctx: TaskContext) -> TaskOutcome:
    with session_scope(ctx.sessions) as session:
        review = start_review(session, ctx.now, "schedule", "scheduler")
        view = review_view(review)
    return TaskOutcome(f"access review {view['id']}: {len(view['findings'])} findings; awaiting sign-off", view)


@register("compliance_report", "Monthly evidence: access review, audit chain, backups, retention, scans")
def monthly_compliance(ctx: TaskContext) -> TaskOutcome:
    with session_scope(ctx.sessions) as session:
        report = compliance_report(session, ctx.now)
    return TaskOutcome(
        f"compliance {report['period']}: {report['overall']}", {**report, "markdown": to_markdown(report)}
    )
