"""What one doctor check answers, and the context every check reads."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from memo_coach.settings import Settings
from memo_coach.support.config import SupportConfig

OK, WARN, FAIL = "OK", "WARN", "FAIL"
SEVERITY = {OK: 0, WARN: 1, FAIL: 2}
RUNBOOKS = "docs/runbooks"


def runbook(name: str) -> str:
    return f"{RUNBOOKS}/troubleshoot-{name}.md"


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


def problem(status: str, name: str, summary: str, fix: str, book: str, **details: Any) -> CheckResult:
    return CheckResult(name, status, summary, fix, runbook(book), details)


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
    return problem(
        FAIL, name, f"skipped: the database is unreachable ({ctx.database_error})", "fix the database first", "database"
    )
