"""Health: public liveness and readiness for load balancers, detailed component checks for operators.

/health stays a constant answer (benchmarked at thousands of requests per second); /health/ready runs
only the critical checks and answers 503 when one is unhealthy.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from memo_coach import __version__
from memo_coach.component_status import UNHEALTHY
from memo_coach.errors import NotFound
from memo_coach.web.deps import PUBLIC, Operator, runtime_of

router = APIRouter(tags=["health"])


@router.get("/health", dependencies=[Depends(PUBLIC)])
async def health():
    return JSONResponse({"status": "healthy", "version": __version__})


@router.get("/health/live", dependencies=[Depends(PUBLIC)])
async def live():
    """The process answers; says nothing about its dependencies."""
    return JSONResponse({"status": "alive"})


@router.get("/health/ready", dependencies=[Depends(PUBLIC)])
def ready(request: Request):
    """Ready to take traffic: every critical check is at least degraded. Names and states only."""
    obs = runtime_of(request).observability
    report = obs.health.report(obs.context(), critical_only=True)
    components = {c["name"]: c["status"] for c in report["components"]}
    is_ready = report["serving"]
    body = {"status": "ready" if is_ready else "not_ready", "components": components}
    return JSONResponse(body, status_code=200 if is_ready else 503)


def _answer(report: dict) -> JSONResponse:
    """503 only when a critical component is unhealthy: a failing backup check needs an operator,
    but a load balancer or uptime probe must not take a serving replica out for it."""
    return JSONResponse(report, status_code=200 if report["serving"] else 503)


@router.get("/health/detailed")
def detailed(request: Request, user: Operator):
    """Every registered component with status, reason, latency and details."""
    obs = runtime_of(request).observability
    return _answer(obs.health.report(obs.context()))


@router.get("/health/{component}")
def component(component: str, request: Request, user: Operator):
    """One component: database, disk, config, llm, auth, and whatever other concepts registered."""
    obs = runtime_of(request).observability
    if component not in obs.health.names():
        raise NotFound(f"no health check named {component!r}; known: {', '.join(obs.health.names())}")
    result = obs.health.run_one(obs.context(), component)
    serving = result.status != UNHEALTHY or not obs.health.is_critical(component)
    report = {"status": result.status, "serving": serving, "checked_at": obs.context().now.isoformat()}
    return _answer({**report, "components": [result.to_dict()]})
