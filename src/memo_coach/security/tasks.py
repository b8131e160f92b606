"""Security monitoring summary (daily) and access audit (monthly), as scheduled tasks."""

from __future__ import annotations

from memo_coach.db.engine import session_scope
from memo_coach.maintenance.task_registry import TaskContext, TaskOutcome, register
from memo_coach.security.summary import access_audit, security_summary


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
