"""/metrics in the Prometheus text format, for an operator's session or the scraper's bearer token."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from memo_coach.auth.roles import Role
from memo_coach.observability.metrics import read_resources
from memo_coach.observability.metrics_registry import REGISTRY
from memo_coach.web.deps import DbSession, RoleRequirement, runtime_of

router = APIRouter(tags=["metrics"])


class MetricsReader(RoleRequirement):
    """Operators, or whoever sends `Authorization: Bearer <MEMO_COACH_METRICS_TOKEN>` (compared in constant time)."""

    def __init__(self) -> None:
        super().__init__(Role.operator)

    def __call__(self, request: Request, db: DbSession):
        token = runtime_of(request).settings.metrics_token
        sent = request.headers.get("authorization", "")
        if (
            token
            and sent.startswith("Bearer ")
            and hmac.compare_digest(sent[7:].encode(), token.get_secret_value().encode())
        ):
            return None
        return super().__call__(request, db)


@router.get(
    "/metrics",
    dependencies=[Depends(MetricsReader())],
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}}},
)
def metrics(request: Request):
    runtime = runtime_of(request)
    read_resources(runtime.settings.data_dir, runtime.engine)
    # The process's series, then those this runtime reads from its database (their names differ).
    exposition = generate_latest(REGISTRY) + generate_latest(runtime.metrics)
    return Response(exposition, media_type=CONTENT_TYPE_LATEST)
