"""Checks of the installation itself: versions, configuration files, disk space, file modes."""

from __future__ import annotations

import platform
import shutil
import stat
from importlib import metadata
from pathlib import Path

from sqlalchemy import select

from memo_coach import __version__
from memo_coach.config_store.kinds import SCHEMAS
from memo_coach.config_store.loader import ConfigError, load_file
from memo_coach.config_store.models import ConfigVersion
from memo_coach.settings import SECRET_FILE_NAME
from memo_coach.support.doctor.result import FAIL, WARN, CheckResult, DoctorContext, ok, problem
from memo_coach.support.technology import end_of_life, python_key

PACKAGES = ("fastapi", "sqlalchemy", "alembic", "pydantic", "uvicorn", "anthropic", "openai")


def installed_versions() -> dict[str, str]:
    versions = {"memo-coach": __version__, "python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def check_versions(ctx: DoctorContext) -> CheckResult:
    versions = installed_versions()
    eol = end_of_life(ctx.config, python_key())
    if eol and eol <= ctx.now.date():
        return problem(
            WARN,
            "versions",
            f"Python {versions['python']} reached its end of life on {eol}: no more security fixes",
            "move to a supported Python and reinstall (make install)",
            "versions",
            **versions,
        )
    return ok("versions", f"memo-coach {__version__} on Python {versions['python']}", **versions)


def check_configuration(ctx: DoctorContext) -> CheckResult:
    """Every file under config/ parses and passes its checks, and each has an active version."""
    problems = []
    for name in SCHEMAS:
        try:
            load_file(name, ctx.settings.config_dir)
        except ConfigError as exc:
            problems.append(f"{name}.yaml: {exc.problems[0]}")
        except OSError as exc:
            problems.append(f"{name}.yaml: cannot be read ({exc.strerror})")
    if problems:
        return problem(
            FAIL,
            "configuration",
            "; ".join(problems)[:500],
            "fix the file (`memo-coach config validate NAME FILE` shows every problem), or restore it with "
            "`memo-coach config export`",
            "config-refused",
            problems=problems,
        )
    if not ctx.database_error:
        with ctx.sessions() as session:
            active = set(session.scalars(select(ConfigVersion.name).where(ConfigVersion.is_active.is_(True))))
        missing = sorted(set(SCHEMAS) - active)
        if missing:
            return problem(
                FAIL,
                "configuration",
                f"no active version of {', '.join(missing)}",
                "run `memo-coach init` to import config/ into the database",
                "config-refused",
            )
    return ok("configuration", f"{len(SCHEMAS)} configuration files valid", files=sorted(SCHEMAS))


def check_disk(ctx: DoctorContext) -> CheckResult:
    path = ctx.settings.data_dir if ctx.settings.data_dir.exists() else Path.cwd()
    usage = shutil.disk_usage(path)
    free = 100 * usage.free / usage.total if usage.total else 0.0
    summary = f"{free:.1f}% free ({usage.free / 2**30:.1f} GiB) at {path}"
    limits = ctx.config.doctor
    details = {"free_percent": round(free, 2), "free_bytes": usage.free, "path": str(path)}
    if free < limits.disk_fail_free_percent:
        return problem(
            FAIL, "disk", summary, "free space now: old backups, rotated logs, scratch files", "disk-full", **details
        )
    if free < limits.disk_warn_free_percent:
        return problem(
            WARN, "disk", summary, "plan space: the capacity report projects when it fills", "disk-full", **details
        )
    return ok("disk", summary, **details)


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return None


def file_mode_problems(ctx: DoctorContext) -> tuple[list[str], list[str]]:
    """(secrets others can read: FAIL, data every account can read: WARN)."""
    settings = ctx.settings
    secrets, data = [], []
    key_mode = _mode(settings.data_dir / SECRET_FILE_NAME)
    if key_mode is not None and key_mode & 0o077:
        secrets.append(f"{settings.data_dir / SECRET_FILE_NAME} is {key_mode:o}, must be 600")
    database = settings.sqlalchemy_url.split("///", 1)[-1] if settings.sqlalchemy_url.startswith("sqlite") else None
    for path in (settings.data_dir, Path(database) if database else None, settings.backups_path):
        mode = _mode(path) if path else None
        if mode is not None and mode & 0o004:
            data.append(f"{path} is readable by every account ({mode:o})")
    return secrets, data


def check_file_modes(ctx: DoctorContext) -> CheckResult:
    secrets, data = file_mode_problems(ctx)
    if secrets or data:
        return problem(
            FAIL if secrets else WARN,
            "file_modes",
            "; ".join(secrets + data),
            "chmod 600 the secret key and the database file, chmod 700 the data and backup directories",
            "file-modes",
            problems=secrets + data,
        )
    return ok("file_modes", "the secret key and the data are private")
