"""Every alert rule with its state now and its value as a person reads it.

One list behind the incidents console, `/api/v1/alerts` and `memo-coach alerts list`, so all three
show the same rules (the configured ones and every SLO's burn-rate rules); the same wording goes into
incident timelines and notifications: "disk used 10.7% (threshold 85%)", never 0.10670941151957304.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.incidents.config import MonitoringConfig, Rule
from memo_coach.incidents.models import INACTIVE, AlertState
from memo_coach.observability.console import CHARTS
from memo_coach.observability.units import COUNT, DAYS, HEALTH, TIMES, reading, unit_of

# Series rules read that are not charts on the console.
SERIES_TITLES = {**CHARTS, "evaluations_degraded_ratio": "evaluations degraded", "errors_per_s": "errors"}
SUFFIXES = ("_per_s", "_ratio", "_bytes", "_s")


def series_title(series: str) -> str:
    if series in SERIES_TITLES:
        return SERIES_TITLES[series]
    stem = next((series.removesuffix(s) for s in SUFFIXES if series.endswith(s)), series)
    return stem.replace("_", " ")


def measure(rule: Rule) -> tuple[str, str]:
    """(what the value is, its unit) for a rule's source."""
    source = rule.source
    if source.kind == "metric":
        title = series_title(source.series or "")
        return (f"{title} ({source.label})" if source.label else title), unit_of(source.series or "")
    if source.kind == "health":
        return f"health of {', '.join(source.components)}:", HEALTH
    if source.kind == "pending_evaluations":
        return "stranded evaluations:", COUNT
    if source.kind == "lockouts":
        return "locked accounts:", COUNT
    if source.kind == "expiry":
        return "time left", DAYS
    return f"{source.slo} error budget burning", TIMES


def value_text(rule: Rule, value: float | None) -> str:
    label, unit = measure(rule)
    return reading(label, value, unit, rule.threshold)


def alert_rows(session: Session, config: MonitoringConfig) -> list[dict[str, Any]]:
    """Each rule (SLO burn-rate rules included) with its state, raw value and the value in words."""
    states = {s.rule: s for s in session.scalars(select(AlertState))}
    rows = []
    for rule in config.all_rules():
        state = states.get(rule.name)
        value = state.value if state else None
        rows.append(
            {
                "rule": rule.name,
                "summary": rule.summary,
                "severity": rule.severity,
                "enabled": rule.enabled,
                "state": state.state if state else INACTIVE,
                "held": bool(state and state.held),
                "value": value,
                "threshold": rule.threshold,
                "value_text": value_text(rule, value),
                "since": state.since.isoformat() if state and state.since else None,
                "incident_id": state.incident_id if state else None,
                "runbook": rule.runbook,
            }
        )
    return rows
