"""The analysis check: whether the offline analyzer runs in its own process, as the web server starts it."""

from __future__ import annotations

from memo_coach.component_status import DEGRADED, HEALTHY, ComponentStatus
from memo_coach.observability.health.registry import HealthContext


def check_analysis(ctx: HealthContext) -> ComponentStatus:
    """Degraded while memos are analysed in the server process because the analysis process failed:
    nothing is lost, but the analysis then competes with the web work for one core."""
    state = ctx.evaluators.analysis_state() if ctx.evaluators is not None else {"processes": 0, "trouble": None}
    if not state["processes"]:
        return ComponentStatus("analysis", HEALTHY, "the offline analyzer runs in this process", details=state)
    if state["trouble"]:
        reason = f"the analysis process failed ({state['trouble']}); memos are analysed in the server meanwhile"
        fix = "see the server's log; a new analysis process is started for the next memo"
        return ComponentStatus("analysis", DEGRADED, reason, details=state, fix=fix)
    return ComponentStatus("analysis", HEALTHY, f"{state['processes']} analysis process(es)", details=state)
