"""Schema of config/maintenance.yaml: the task schedule, backup retention, data retention and upkeep."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from pydantic import Field, field_validator

from memo_coach.config_store.kinds import Strict, register_kind
from memo_coach.maintenance import task_registry as registry


def _valid_zone(value: str | None) -> str | None:
    try:
        return value if value is None else ZoneInfo(value).key
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}; use an IANA name such as UTC or Europe/Paris") from None


class TaskSchedule(Strict):
    cron: str = Field(description="five fields (minute hour day month weekday), optionally a sixth for seconds")
    timezone: str | None = Field(None, description="IANA zone the cron is read in; defaults to the file's")
    enabled: bool = True
    timeout_seconds: float = Field(3600, gt=0)
    expected_period_hours: float = Field(gt=0, description="older last success than this marks the task overdue")

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        if not croniter.is_valid(value):
            raise ValueError(f"not a cron expression: {value!r}")
        return value

    _zone = field_validator("timezone")(_valid_zone)


class BackupPolicy(Strict):
    keep_daily: int = Field(7, ge=1, description="newest backup of each of the last N days is kept")
    keep_weekly: int = Field(4, ge=0, description="newest backup of each of the last N ISO weeks is kept")
    keep_monthly: int = Field(12, ge=0, description="newest backup of each of the last N months is kept")
    compression_level: int = Field(1, ge=0, le=19, description="zstd level: 1 is fast, 19 small, 0 stores uncompressed")


class RetentionPolicy(Strict):
    """Days each kind of data is kept before it is archived and deleted; null keeps it forever."""

    login_attempts_days: int | None = Field(90, ge=1, description="sign-in attempts older than this are archived")
    task_runs_days: int | None = Field(365, ge=1, description="task run records older than this are archived")
    evaluations_days: int | None = Field(
        None, ge=1, description="evaluations older than this are archived; off by default"
    )


class UpkeepPolicy(Strict):
    wal_checkpoint_mb: float = Field(64, gt=0, description="the SQLite WAL is checkpointed once it is this large")
    log_max_age_days: float = Field(30, gt=0, description="rotated logs older than this are deleted")
    log_max_total_mb: float = Field(500, gt=0, description="then the oldest rotated logs go until the total fits")
    temp_max_age_hours: float = Field(
        24, gt=0, description="temporary files and scratch directories older than this go"
    )


class MaintenanceConfig(Strict):
    timezone: str = Field("UTC", description="IANA zone cron expressions are read in, unless a task names its own")
    tasks: dict[str, TaskSchedule] = Field(
        {},
        description="registered task name -> {cron, timezone, enabled, timeout_seconds, expected_period_hours}",
    )
    backups: BackupPolicy = Field(BackupPolicy(), description="backup retention and compression")
    retention: RetentionPolicy = Field(RetentionPolicy(), description="days each kind of data is kept before archiving")
    upkeep: UpkeepPolicy = Field(UpkeepPolicy(), description="database and file housekeeping thresholds")

    _zone = field_validator("timezone")(_valid_zone)

    @field_validator("tasks")
    @classmethod
    def _registered_tasks_only(cls, value: dict[str, TaskSchedule]) -> dict[str, TaskSchedule]:
        unknown = sorted(set(value) - set(registry.tasks()))
        if unknown:
            known = ", ".join(sorted(registry.tasks()))
            raise ValueError(f"unknown task(s) {', '.join(unknown)}; registered tasks are: {known}")
        return value

    def zone_of(self, name: str) -> str:
        return self.tasks[name].timezone or self.timezone


def register() -> None:
    register_kind("maintenance", MaintenanceConfig)
