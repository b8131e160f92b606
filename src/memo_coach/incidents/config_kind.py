"""config/monitoring.yaml as a configuration kind: the schema, its checks and the history replay as dry run."""

from __future__ import annotations

from memo_coach.config_store.kinds import register_kind
from memo_coach.incidents.config import MonitoringConfig, every_severity_has_a_target
from memo_coach.incidents.replay import dry_run


def register() -> None:
    register_kind("monitoring", MonitoringConfig, [every_severity_has_a_target], dry_run, dry_run_reads_database=True)
