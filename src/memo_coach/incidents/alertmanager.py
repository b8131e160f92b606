"""Alertmanager's webhook (version 4) turned into incidents: one per alert fingerprint, resolved on `resolved`.

Unknown fields are ignored (newer Alertmanagers add `routeLabels`, `notification_reason`); the
severity comes from the `severity` label (P1-P4, or critical/warning/info). The incidents are internal:
an alert's summary is written for operators (it may name a host or an address), so writers see one only
once an operator publishes it under a public title.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from memo_coach.incidents import service
from memo_coach.incidents.config import SEVERITIES, MonitoringConfig
from memo_coach.incidents.models import OPEN_STATES

NAMED = {"critical": "P1", "page": "P2", "error": "P2", "warning": "P3", "info": "P4", "none": "P4"}


class AlertmanagerAlert(BaseModel):
    model_config = ConfigDict(extra="ignore")

    status: str = Field(pattern="^(firing|resolved)$")
    labels: dict[str, str] = Field(default_factory=dict, max_length=64)
    annotations: dict[str, str] = Field(default_factory=dict, max_length=64)
    startsAt: datetime | None = None
    endsAt: datetime | None = None
    fingerprint: str = Field(min_length=1, max_length=100)


class AlertmanagerPayload(BaseModel):
    model_config = ConfigDict(extra="ignore")

    version: str = Field(pattern="^4$")
    status: str = Field(pattern="^(firing|resolved)$")
    receiver: str = Field("", max_length=200)
    groupKey: str = Field("", max_length=1000)
    alerts: list[AlertmanagerAlert] = Field(max_length=1000)


def severity_of(labels: dict[str, str]) -> str:
    raw = labels.get("severity", "").strip()
    return raw.upper() if raw.upper() in SEVERITIES else NAMED.get(raw.lower(), "P3")


def intake(session: Session, config: MonitoringConfig, payload: AlertmanagerPayload, now: datetime) -> dict[str, Any]:
    """Opens, updates or resolves one incident per alert; returns what changed."""
    opened, updated, resolved = [], [], []
    for alert in payload.alerts:
        key = f"alertmanager:{alert.fingerprint}"
        incident = service.open_by_key(session, key)
        name = alert.labels.get("alertname", "alert")
        summary = alert.annotations.get("summary") or name
        if alert.status == "firing":
            if incident is None:
                incident = service.open_incident(
                    session,
                    config,
                    title=f"{name}: {summary}"[:200],
                    severity=severity_of(alert.labels),
                    source="alertmanager",
                    dedup_key=key,
                    component=alert.labels.get("component", "service")[:64],
                    cause=name[:120],
                    now=now,
                )
                opened.append(incident.id)
            else:
                updated.append(incident.id)
            service.add_event(session, incident, "alert_fired", f"Alertmanager: {name} firing", at=now)
        elif incident is not None and incident.status in OPEN_STATES:
            service.add_event(session, incident, "alert_cleared", f"Alertmanager: {name} resolved", at=now)
            service.resolve(session, config, incident, "alertmanager", f"{name} resolved in Alertmanager", now)
            resolved.append(incident.id)
    return {"opened": opened, "updated": updated, "resolved": resolved}
