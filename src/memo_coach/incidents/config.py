"""Schema of config/monitoring.yaml: alert rules, response targets, notification channels, SLOs."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from pydantic import Field, field_validator, model_validator

from memo_coach.config_store.kinds import Candidate, Finding, Strict

SEVERITIES = ("P1", "P2", "P3", "P4")
Severity = Literal["P1", "P2", "P3", "P4"]
SourceKind = Literal["metric", "health", "pending_evaluations", "lockouts", "expiry", "slo_burn"]
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
    slo: str | None = Field(None, description="slo_burn: the SLO whose error budget burns")
    short_window_seconds: float | None = Field(
        None, gt=0, description="slo_burn: the short window; the value is the lower of both windows' burn rates"
    )

    @model_validator(mode="after")
    def _complete(self) -> Source:
        if self.kind == "metric" and not self.series:
            raise ValueError("a metric source names its series")
        if self.kind == "health" and not self.components:
            raise ValueError("a health source names at least one component")
        if self.kind == "expiry" and not self.env:
            raise ValueError("an expiry source names the environment variable holding the date")
        if self.kind == "slo_burn" and not (self.slo and self.short_window_seconds):
            raise ValueError("an slo_burn source names its slo and short_window_seconds")
        return self


class Rule(Strict):
    name: str = Field(description="lower_snake_case; also the runbook's file name under docs/runbooks/")
    summary: str = Field(max_length=200, description="one line a person reads in the notification")
    severity: Severity
    source: Source
    op: Literal[">", ">=", "<", "<="] = Field(">", description="comparison of the value with the threshold")
    threshold: float
    window_seconds: float = Field(60, gt=0, le=30 * 86400, description="samples over this span are combined")
    for_seconds: float = Field(0, ge=0, le=86400, description="the condition must hold this long before firing")
    group: str | None = Field(None, description="rules with the same group share one open incident")
    auto_resolve: bool = Field(True, description="resolve the incident when the rule clears")
    component: str = Field("service", description="status page component the incident affects")
    affects_writers: bool = Field(
        False, description="writer-facing: its incident is public (status page, banner) under public_title"
    )
    public_title: str = Field(
        "", max_length=200, description="what writers read while it is open; needed with affects_writers"
    )
    enabled: bool = True
    runbook_name: str | None = Field(None, description="runbook file name when not the rule's own name")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError("use lower_snake_case, 2 to 63 characters")
        return value

    @model_validator(mode="after")
    def _public_title(self) -> Rule:
        if self.affects_writers and not self.public_title.strip():
            raise ValueError("a rule that affects writers needs a public_title written for them")
        return self

    @property
    def runbook(self) -> str:
        return f"docs/runbooks/{self.runbook_name or self.name}.md"

    @property
    def runbook_page(self) -> str:
        """Where the app shows the runbook (web/pages/runbook_pages.py)."""
        return f"/ops/runbooks/{self.runbook_name or self.name}"

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


# Multiwindow burn-rate alerts (Google SRE workbook): (long window, short window, burn rate, severity).
BURN_ALERTS = (
    ("fast", 3600, 300, 14.4, "P2"),
    ("medium", 6 * 3600, 1800, 6.0, "P2"),
    ("slow", 3 * 86400, 6 * 3600, 1.0, "P4"),
)


class Slo(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    kind: Literal["availability", "latency"] = Field(
        description="availability: requests without a 5xx; latency: evaluations finished within latency_seconds"
    )
    objective: float = Field(gt=0, lt=1, description="e.g. 0.999 for 99.9 %")
    days: int = Field(30, ge=1, le=90, description="the period the error budget covers")
    latency_seconds: float = Field(15, gt=0, description="latency: the bound a good evaluation stays under")
    component: str = Field("service", description="status page component its incidents affect")

    def burn_rules(self) -> list[Rule]:
        """The SLO's burn-rate alerts, as rules the evaluator runs like any other."""
        return [
            Rule(
                name=f"{self.name}_burn_{speed}",
                summary=f"{self.name} burns its error budget {rate:g}x too fast",
                severity=severity,  # type: ignore[arg-type]
                source=Source(kind="slo_burn", slo=self.name, short_window_seconds=short),
                threshold=rate,
                window_seconds=long,
                group=f"slo_{self.name}",
                component=self.component,
                runbook_name="slo_burn",
            )
            for speed, long, short, rate, severity in BURN_ALERTS
        ]


class MonitoringConfig(Strict):
    interval_seconds: float = Field(15, ge=1, le=600, description="how often one replica evaluates the rules")
    response_minutes: dict[Severity, float] = Field(
        {"P1": 5, "P2": 15, "P3": 240, "P4": 1440},
        description="acknowledge within this long, or the incident is escalated",
    )
    severity_meanings: dict[Severity, str] = Field(
        {
            "P1": "The service is down for every writer, or data is at risk",
            "P2": "A main function (evaluations, sign-in, saving) fails or is badly degraded for many writers",
            "P3": "Slower or partly failing, with a way around it; or one writer-facing part degraded",
            "P4": "No effect on writers yet: a risk to handle in working hours (expiry, slow budget burn)",
        },
        description="what each severity means, shown on the incident page beside its response target",
    )
    notify_retries: int = Field(5, ge=0, le=20, description="delivery attempts after the first")
    notify_backoff_seconds: float = Field(30, gt=0, description="first retry delay; doubles each time")
    channels: list[Channel] = Field([], description="where notifications go: apprise URLs from the environment")
    rules: list[Rule] = Field([], description="the alert rules")
    slos: list[Slo] = Field([], description="service level objectives with burn-rate alerts")
    slow_statement_ms: float = Field(
        250, ge=0, le=600_000, description="a SQL statement taking this long or longer is logged as slow"
    )

    @model_validator(mode="after")
    def _unique_names(self) -> MonitoringConfig:
        names = [r.name for r in self.all_rules()]
        if len(set(names)) != len(names):
            raise ValueError("rule names must be unique (SLOs add <slo>_burn_fast, _medium and _slow)")
        if len({s.name for s in self.slos}) != len(self.slos):
            raise ValueError("SLO names must be unique")
        return self

    def all_rules(self) -> list[Rule]:
        """The configured rules and every SLO's burn-rate rules."""
        return [*self.rules, *(r for slo in self.slos for r in slo.burn_rules())]

    def severity_guide(self) -> list[dict[str, object]]:
        """P1 to P4 as a person reads them: what each means and how soon someone must acknowledge it."""
        return [
            {
                "severity": severity,
                "meaning": self.severity_meanings.get(severity, ""),  # type: ignore[call-overload]
                "respond_minutes": self.response_minutes.get(severity),  # type: ignore[call-overload]
            }
            for severity in SEVERITIES
        ]

    def rule(self, name: str) -> Rule | None:
        return next((r for r in self.all_rules() if r.name == name), None)

    def slo(self, name: str) -> Slo | None:
        return next((s for s in self.slos if s.name == name), None)


def every_severity_has_a_target(candidate: Candidate) -> Iterable[Finding]:
    for severity in SEVERITIES:
        if severity not in candidate.model.response_minutes:
            yield ("response_minutes",), f"no response target for {severity}"
        if severity not in candidate.model.severity_meanings:
            yield ("severity_meanings",), f"no meaning given for {severity}"
