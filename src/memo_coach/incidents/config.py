"""Schema of config/monitoring.yaml: alert rules, response targets, notification channels, SLOs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from pydantic import Field, field_validator, model_validator

from memo_coach.config_store.kinds import Candidate, Finding, Strict

SEVERITIES = ("P1", "P2", "P3", "P4")
Severity = Literal["P1", "P2", "P3", "P4"]
SourceKind = Literal["metric", "health", "pending_evaluations", "lockouts", "expiry"]
# Sources read from the stored metric history can be replayed; the others are only evaluated live.
REPLAYABLE = frozenset({"metric", "health"})
NAME = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
OPERATORS = {">": float.__gt__, ">=": float.__ge__, "<": float.__lt__, "<=": float.__le__}


class Source(Strict):
    kind: SourceKind = Field(description="where the value comes from")
    series: str | None = Field(None, description="metric: a stored history series, e.g. error_rate")
    label: str = Field("", description="metric: the series label, e.g. an error type")
    components: list[str] = Field(
        [], description="health: component names; the value is the worst (0 healthy, 1 degraded, 2 unhealthy)"
    )
    aggregate: Literal["mean", "max", "min", "last"] = Field("mean", description="how the window's samples combine")
    older_than_seconds: float = Field(300, gt=0, description="pending_evaluations: age that counts as stranded")
    env: str | None = Field(None, description="expiry: environment variable holding an ISO 8601 expiry time")

    @model_validator(mode="after")
    def _complete(self) -> Source:
        if self.kind == "metric" and not self.series:
            raise ValueError("a metric source names its series")
        if self.kind == "health" and not self.components:
            raise ValueError("a health source names at least one component")
        if self.kind == "expiry" and not self.env:
            raise ValueError("an expiry source names the environment variable holding the date")
        return self


class Rule(Strict):
    name: str = Field(description="lower_snake_case; also the runbook's file name under docs/runbooks/")
    summary: str = Field(max_length=200, description="one line a person reads in the notification")
    severity: Severity
    source: Source
    op: Literal[">", ">=", "<", "<="] = Field(">", description="comparison of the value with the threshold")
    threshold: float
    window_seconds: float = Field(60, gt=0, le=86400, description="samples over this span are combined")
    for_seconds: float = Field(0, ge=0, le=86400, description="the condition must hold this long before firing")
    group: str | None = Field(None, description="rules with the same group share one open incident")
    auto_resolve: bool = Field(True, description="resolve the incident when the rule clears")
    component: str = Field("service", description="status page component the incident affects")
    affects_writers: bool = Field(True, description="show writers a banner while it is open")
    enabled: bool = True

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError("use lower_snake_case, 2 to 63 characters")
        return value

    @property
    def runbook(self) -> str:
        return f"docs/runbooks/{self.name}.md"

    @property
    def dedup_key(self) -> str:
        return f"group:{self.group}" if self.group else f"rule:{self.name}"

    def holds(self, value: float | None) -> bool:
        return value is not None and OPERATORS[self.op](float(value), self.threshold)


class Channel(Strict):
    name: str
    url_env: str = Field(description="environment variable holding the apprise URL (secrets stay out of YAML)")
    severities: list[Severity] = Field(list(SEVERITIES), description="incidents of these severities notify it")
    escalation_only: bool = Field(False, description="notified only when an incident is escalated")


class Slo(Strict):
    name: str
    kind: Literal["availability", "latency"]
    objective: float = Field(gt=0, lt=1, description="e.g. 0.999 for 99.9 %")
    days: int = Field(30, ge=1, le=90)
    latency_seconds: float = Field(15, gt=0, description="latency: the bound a good evaluation stays under")


class MonitoringConfig(Strict):
    interval_seconds: float = Field(15, ge=1, le=600, description="how often one replica evaluates the rules")
    response_minutes: dict[Severity, float] = Field(
        {"P1": 5, "P2": 15, "P3": 240, "P4": 1440},
        description="acknowledge within this long, or the incident is escalated",
    )
    notify_retries: int = Field(5, ge=0, le=20, description="delivery attempts after the first")
    notify_backoff_seconds: float = Field(30, gt=0, description="first retry delay; doubles each time")
    channels: list[Channel] = Field([], description="where notifications go: apprise URLs from the environment")
    rules: list[Rule] = Field([], description="the alert rules")
    slos: list[Slo] = Field([], description="service level objectives with burn-rate alerts")

    @field_validator("rules")
    @classmethod
    def _unique(cls, rules: list[Rule]) -> list[Rule]:
        names = [r.name for r in rules]
        if len(set(names)) != len(names):
            raise ValueError("rule names must be unique")
        return rules

    def rule(self, name: str) -> Rule | None:
        return next((r for r in self.rules if r.name == name), None)


def every_severity_has_a_target(candidate: Candidate) -> Iterable[Finding]:
    for severity in SEVERITIES:
        if severity not in candidate.model.response_minutes:
            yield ("response_minutes",), f"no response target for {severity}"
