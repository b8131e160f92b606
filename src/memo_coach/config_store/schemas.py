"""Schemas of the YAML files under config/. Unknown keys are refused so a typo is never silently ignored."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, field_validator

from memo_coach.coaching.rubric import Rubric


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EvaluationPrompts(Strict):
    system: str = Field(min_length=1, description="Jinja2; gets rubric")
    user: str = Field(min_length=1, description="Jinja2; gets memo, rubric, schema")
    repair: str = Field(min_length=1, description="Jinja2; gets error and previous answer")


class ChatPrompts(Strict):
    system: str = Field(min_length=1, description="Jinja2; gets memo, versions, rubric, evaluation")


class PromptConfig(Strict):
    evaluation: EvaluationPrompts
    chat: ChatPrompts


class ProviderSettings(Strict):
    model: str = Field(min_length=1, description="model name sent to the provider")
    base_url: str | None = Field(None, description="another server speaking the same API; null for the provider's own")


class BreakerConfig(Strict):
    failure_threshold: int = Field(default=5, ge=1, description="failed calls in a row that open the circuit breaker")
    reset_seconds: float = Field(default=30, gt=0, description="how long the breaker stays open before one trial call")


class LLMConfig(Strict):
    provider: Literal["auto", "anthropic", "openai", "offline"] = Field(
        "auto", description="auto: anthropic if its key is set, else openai if its key or base_url is set, else offline"
    )
    anthropic: ProviderSettings = ProviderSettings(model="claude-sonnet-4-5")
    openai: ProviderSettings = ProviderSettings(model="gpt-4o-mini")
    timeout_seconds: float = Field(default=30, gt=0, description="one LLM call's time limit")
    max_retries: int = Field(default=2, ge=0, le=10, description="retries after a failed call, with backoff")
    backoff_base_seconds: float = Field(default=0.5, ge=0, description="first retry delay; doubles each retry")
    backoff_max_seconds: float = Field(default=8, ge=0, description="longest retry delay")
    max_tokens: int = Field(default=4000, ge=256, description="longest answer the model may give")
    temperature: float = Field(default=0.2, ge=0, le=2, description="sampling temperature; low keeps scores steady")
    breaker: BreakerConfig = BreakerConfig()


class LockoutConfig(Strict):
    max_failures_per_account: int = Field(default=5, ge=1, description="failed sign-ins that lock one account")
    max_failures_per_address: int = Field(default=20, ge=1, description="failed sign-ins that lock one client address")
    window_minutes: float = Field(default=15, gt=0, description="how far back failures are counted")
    lockout_minutes: float = Field(default=15, gt=0, description="how long a lock lasts")


class AuthConfig(Strict):
    session_hours: float = Field(default=12, gt=0, le=24 * 30, description="how long a sign-in lasts")
    password_min_length: int = Field(default=12, ge=8, description="shortest password accepted")
    lockout: LockoutConfig = LockoutConfig()
    require_approval: bool = Field(
        default=False, description="two-person rule: a configuration change waits until a different admin approves it"
    )


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
        from memo_coach.ops.scheduler import registry  # task modules import services that import this module

        unknown = sorted(set(value) - set(registry.tasks()))
        if unknown:
            known = ", ".join(sorted(registry.tasks()))
            raise ValueError(f"unknown task(s) {', '.join(unknown)}; registered tasks are: {known}")
        return value

    def zone_of(self, name: str) -> str:
        return self.tasks[name].timezone or self.timezone


# One entry per file under config/: the file name (without .yaml) and its schema.
SCHEMAS: dict[str, type[BaseModel]] = {
    "rubric": Rubric,
    "prompt": PromptConfig,
    "llm": LLMConfig,
    "auth": AuthConfig,
    "maintenance": MaintenanceConfig,
}
