"""docs/incidents.md defines P1 to P4 in the same words and targets as config/monitoring.yaml, which the
incident page and the notifications read: the manual cannot drift from what the service says."""

from __future__ import annotations

import re

import yaml

from memo_coach.incidents.config import MonitoringConfig
from memo_coach.observability.units import span
from tests.support.helpers import REPO


def test_the_manuals_severity_table_is_the_configurations():
    config = MonitoringConfig(**yaml.safe_load((REPO / "config" / "monitoring.yaml").read_text()))
    manual = (REPO / "docs" / "incidents.md").read_text()
    rows = dict((m[0], (m[1], m[2])) for m in re.findall(r"^\| (P[1-4]) \| (.+?) \| (.+?) \|$", manual, re.MULTILINE))
    expected = {s["severity"]: (s["meaning"], span(s["respond_minutes"] * 60)) for s in config.severity_guide()}
    assert rows == expected
    assert config.severity_meanings == MonitoringConfig().severity_meanings  # the code default says the same
