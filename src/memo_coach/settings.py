"""Settings from the environment (prefix MEMO_COACH_); secrets only from here, never from YAML.

Precedence: environment > YAML under config/ > code default. A secret may also come from a file
named by the variable with a `_FILE` suffix (for container secrets).
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_FILE_NAME = "secret_key"
AUDIT_KEY_FILE_NAME = "audit_key"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MEMO_COACH_", extra="ignore")

    data_dir: Path = Field(
        Path("data"), description="Where the SQLite database, logs, backups and the secret key live."
    )
    config_dir: Path = Field(Path("config"), description="Seed YAML files (rubric, prompt, llm, auth).")
    database_url: str = Field("", description="SQLAlchemy URL; empty means SQLite at DATA_DIR/memo_coach.db.")
    secret_key: SecretStr | None = Field(None, description="Signs cookies and CSRF tokens; generated once if unset.")
    max_memo_chars: int = Field(20_000, ge=100, description="Longest memo accepted, in characters.")
    max_body_bytes: int = Field(1_048_576, ge=1024, description="Largest request body accepted.")
    anthropic_api_key: SecretStr | None = Field(None, validation_alias="ANTHROPIC_API_KEY")
    openai_api_key: SecretStr | None = Field(None, validation_alias="OPENAI_API_KEY")
    resume_pending: bool = Field(
        True, description="Take over pending evaluations whose owner stopped (its lease ran out), checked every second."
    )
    evaluation_deadline_seconds: float = Field(
        60.0, ge=1, description="Longest an evaluation may take; then the offline analyzer answers, marked degraded."
    )
    evaluation_lease_seconds: float = Field(
        6.0, ge=1, description="How long an evaluation's owner may go silent before another process takes it over."
    )
    scheduler: bool = Field(True, description="Run the maintenance scheduler inside the web process.")
    evaluation_workers: int = Field(
        64, ge=1, le=1000, description="Evaluations one web process runs at once (most wait on the LLM, not the CPU)."
    )
    analysis_processes: int = Field(
        1, ge=0, le=64, description="Child processes that run the offline analyzer; 0 runs it in the web process."
    )
    submit_threads: int = Field(
        2, ge=1, le=64, description="Threads that check and store submissions; raise for a distant PostgreSQL."
    )
    evaluation_queue: int = Field(
        256, ge=0, le=100_000, description="Evaluations that wait, first come first served; beyond, 503 + Retry-After."
    )
    backup_dir: Path | None = Field(None, description="Where backups go; empty means DATA_DIR/backups.")
    backup_secondary_dir: Path | None = Field(None, description="A second copy of every backup (network mount).")
    backup_key: SecretStr | None = Field(None, description="Encrypts backups when set (any passphrase).")
    config_watch_seconds: float = Field(
        5, ge=0, description="How often config/*.yaml is checked for edits on disk; 0 turns the check off."
    )
    cookie_secure: bool = Field(False, description="Send cookies only over HTTPS; turn on behind TLS.")
    metrics_token: SecretStr | None = Field(None, description="Bearer token that may read /metrics without a session.")
    instrumentation: bool = Field(
        True, description="Request metrics and access logs; off only for the overhead benchmark."
    )
    statement_timing: bool = Field(
        True, description="Time every SQL statement and log the slow ones; off only for its overhead benchmark."
    )
    history_sampler: bool = Field(True, description="Store a metric sample every sample_interval_seconds.")
    sample_interval_seconds: float = Field(15.0, gt=0, description="Seconds between metric history samples.")
    log_level: str = Field("INFO", description="Lowest level written to the JSON log.")
    log_format: Literal["auto", "json", "text"] = Field(
        "auto", description="stderr lines: text on a terminal and JSON elsewhere (auto), or always one of them."
    )
    log_max_bytes: int = Field(10_485_760, ge=10_000, description="Size at which DATA_DIR/logs/app.log rotates.")
    log_backup_count: int = Field(5, ge=1, description="Rotated log files kept.")
    degradation_latency_factor: float = Field(
        1.5, gt=1, description="p95 latency this many times last week's flags a regression."
    )
    degradation_error_factor: float = Field(
        2.0, gt=1, description="Error rate this many times last week's flags a regression."
    )
    alert_evaluator: bool = Field(True, description="Evaluate alert rules in this process (one replica at a time).")
    alertmanager_token: SecretStr | None = Field(
        None, description="Bearer token Alertmanager sends to POST /api/v1/alerts/alertmanager."
    )
    smtp_host: str = Field("", description="SMTP server for support email; empty sends no email.")
    smtp_port: int = Field(25, ge=1, le=65535, description="SMTP port (587 with STARTTLS, 25 on a local relay).")
    smtp_username: str = Field("", description="SMTP user; empty: no login.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password (a secret).")
    smtp_starttls: bool = Field(False, description="Upgrade the SMTP connection with STARTTLS.")
    public_url: str = Field(
        "", description="The address people open the app at; notifications link there. Empty: http://HOST:PORT."
    )
    host: str = "127.0.0.1"
    port: int = 8000
    max_head_bytes: int = Field(
        32_768, ge=4096, le=1_048_576, description="Largest request line plus headers the server reads."
    )
    max_headers: int = Field(100, ge=10, le=1000, description="Most header lines one request may carry.")
    head_timeout_seconds: float = Field(10, gt=0, description="A request head not complete in this time ends.")
    body_timeout_seconds: float = Field(60, gt=0, description="A request body not complete in this time is refused.")
    max_connections: int = Field(1000, ge=1, description="Open connections per worker before answering 503.")
    vulnerability_source_url: str = Field(
        "https://api.osv.dev/v1/", description="Where the vulnerability scan checks it can reach its database."
    )
    vulnerability_database: Path | None = Field(
        None, description="An OSV database on disk (JSON file, directory or zip) the lock file is checked against."
    )
    audit_key: SecretStr | None = Field(
        None, description="Seals the audit chain (HMAC-SHA256); generated once into DATA_DIR/audit_key if unset."
    )
    trusted_proxies: str = Field(
        "", description="Comma-separated proxy addresses whose X-Forwarded-For is believed; empty trusts none."
    )
    llm_allowed_hosts: str = Field(
        "", description="Comma-separated hosts llm.yaml's base_url may name besides loopback and the providers' own."
    )
    first_backup: bool = Field(
        True, description="At initialisation, take and verify a first backup when none has been verified yet."
    )
    image_packages: Path = Field(
        Path("/usr/share/memo-coach/image-packages.txt"),
        description="The container image's package list (written at its build) the technology review checks.",
    )
    apt_lists_dir: Path = Field(
        Path("/var/lib/apt/lists"),
        description="apt's package lists the review reads the image's security updates from (the host's, mounted).",
    )

    @model_validator(mode="before")
    @classmethod
    def _secrets_from_files(cls, values: dict) -> dict:
        for name, env in (
            ("secret_key", "MEMO_COACH_SECRET_KEY"),
            ("anthropic_api_key", "ANTHROPIC_API_KEY"),
            ("openai_api_key", "OPENAI_API_KEY"),
            ("metrics_token", "MEMO_COACH_METRICS_TOKEN"),
            ("backup_key", "MEMO_COACH_BACKUP_KEY"),
            ("alertmanager_token", "MEMO_COACH_ALERTMANAGER_TOKEN"),
            ("smtp_password", "MEMO_COACH_SMTP_PASSWORD"),
            ("audit_key", "MEMO_COACH_AUDIT_KEY"),
        ):
            path = os.environ.get(env + "_FILE")
            if path and not values.get(name) and not values.get(env):
                values[name] = Path(path).read_text().strip()
        return values

    @property
    def public_base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'memo_coach.db').resolve()}"

    @property
    def backups_path(self) -> Path:
        return self.backup_dir or self.data_dir / "backups"

    def ensure_secret_key(self) -> str:
        """The secret key, created with mode 0600 in the data directory on first start when not given."""
        if not self.secret_key:
            self.secret_key = SecretStr(_private_secret(self.data_dir / SECRET_FILE_NAME))
        return self.secret_key.get_secret_value()

    def ensure_audit_key(self) -> str:
        """The audit chain's key, apart from the secret key so that rotating cookies' key keeps the trail
        verifiable; it is never in the database, so whoever can only write the database cannot re-seal."""
        if not self.audit_key:
            self.audit_key = SecretStr(_private_secret(self.data_dir / AUDIT_KEY_FILE_NAME))
        return self.audit_key.get_secret_value()


def _private_secret(path: Path) -> str:
    """A random secret in a file only the owner may read, created on first use. Written aside and linked
    into place, so two processes starting at once agree on one value and neither reads a half-written file."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: its value stands
        finally:
            draft.unlink()
    return path.read_text().strip()


PRIVATE_UMASK = 0o077


def make_files_private() -> None:
    """Everything this process creates from now on (data directory, database and its WAL, backups,
    logs, archives) is readable by its owner only: memos and audit trails are nobody else's business."""
    os.umask(PRIVATE_UMASK)


@lru_cache
def get_settings() -> Settings:
    return Settings()
