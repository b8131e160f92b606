"""What one doctor check answers, and the context every check reads.

Where health already checks a thing, the doctor runs that same check (a capability's plain function
answering ComponentStatus) and `from_health` words it as OK, WARN or FAIL; the doctor's own checks
are only those health does not do.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.component_status import DEGRADED, HEALTHY, UNHEALTHY, ComponentStatus
from memo_coach.settings import Settings
from memo_coach.support.config import SupportConfig

OK, WARN, FAIL = "OK", "WARN", "FAIL"
SEVERITY = {OK: 0, WARN: 1, FAIL: 2}
LEVEL = {HEALTHY: OK, DEGRADED: WARN, UNHEALTHY: FAIL}
RUNBOOKS = "docs/runbooks"
# The runbook (docs/runbooks/troubleshoot-<name>.md) of each check.
RUNBOOK_OF = {
    "llm": "llm",
    "versions": "versions",
    "configuration": "config-refused",
    "database": "database",
    "integrity": "database",
    "disk": "disk-full",
    "file_modes": "file-modes",
    "scheduler": "scheduler",
    "backups": "backup",
    "audit_chain": "audit-chain",
    "pending_evaluations": "stranded-evaluations",
    "incidents": "incidents",
}


def runbook(check: str) -> str:
    return f"{RUNBOOKS}/troubleshoot-{RUNBOOK_OF.get(check, check)}.md"


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: str
    summary: str
    fix: str = ""
    runbook: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def ok(name: str, summary: str, **details: Any) -> CheckResult:
    return CheckResult(name, OK, summary, details=details)


def problem(status: str, name: str, summary: str, fix: str, **details: Any) -> CheckResult:
    return CheckResult(name, status, summary, fix, runbook(name), details)


def from_health(name: str, status: ComponentStatus) -> CheckResult:
    """A capability's health answer in the doctor's words, under the doctor's name for the check."""
    level = LEVEL[status.status]
    if level == OK:
        return CheckResult(name, OK, status.reason, details=status.details)
    return CheckResult(name, level, status.reason, status.fix, runbook(name), status.details)


@dataclass
class DoctorContext:
    settings: Settings
    engine: Engine | None  # None when the database could not even be opened
    sessions: sessionmaker[Session] | None
    config: SupportConfig
    now: datetime
    offline: bool = False  # skip the LLM call
    database_error: str | None = None
    started: float = field(default_factory=time.perf_counter)

    def remaining(self, seconds: float) -> float:
        """What is left of `seconds` counted from the doctor's start (at least a tenth of a second)."""
        return max(0.1, seconds - (time.perf_counter() - self.started))


def worst(statuses: list[str]) -> str:
    return max(statuses, key=SEVERITY.__getitem__, default=OK)


def unreachable(name: str, ctx: DoctorContext) -> CheckResult:
    summary = f"skipped: the database is unreachable ({ctx.database_error})"
    return CheckResult(name, FAIL, summary, "fix the database first", runbook("database"))
