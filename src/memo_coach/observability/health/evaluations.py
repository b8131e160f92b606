"""The evaluations check: stranded jobs that stay are the sign that no process is taking them over."""

from __future__ import annotations

from memo_coach.coaching.jobs import pending_counts
from memo_coach.component_status import DEGRADED, HEALTHY, ComponentStatus
from memo_coach.db.engine import session_scope
from memo_coach.observability.health.registry import HealthContext


def check_evaluations(ctx: HealthContext) -> ComponentStatus:
    """Degraded while evaluations are stranded: writers wait, and nobody is taking their work over."""
    with session_scope(ctx.sessions) as session:
        counts = pending_counts(session, ctx.now)
    if counts["stranded"]:
        reason = (
            f"{counts['stranded']} pending evaluations have no live owner (oldest "
            f"{counts['oldest_stranded_seconds']:.0f} s); a takeover normally follows within seconds"
        )
        return ComponentStatus("evaluations", DEGRADED, reason, details=counts)
    return ComponentStatus("evaluations", HEALTHY, f"{counts['running']} evaluations running", details=counts)
