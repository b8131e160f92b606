"""The shape every health check answers in, so checks from any concept render the same everywhere."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

HEALTHY, DEGRADED, UNHEALTHY = "healthy", "degraded", "unhealthy"
SEVERITY = {HEALTHY: 0, DEGRADED: 1, UNHEALTHY: 2}


@dataclass(frozen=True)
class ComponentStatus:
    name: str
    status: str  # healthy | degraded | unhealthy
    reason: str = ""
    latency_ms: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)
    fix: str = ""  # what an operator can do about a warning, shown next to it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def worst(statuses: list[str]) -> str:
    return max(statuses, key=SEVERITY.__getitem__, default=HEALTHY)
