"""Checks of the installation itself: versions, configuration files, disk space, file modes.

Configuration and disk are health's checks too; the doctor adds the files on disk, which health only
sees through the drift watcher of a running server, and its own free-space thresholds.
"""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

from memo_coach import __version__
from memo_coach.component_status import HEALTHY
from memo_coach.config_store.health import active_versions_health
from memo_coach.config_store.kinds import SCHEMAS
from memo_coach.config_store.loader import ConfigError, load_file
from memo_coach.observability.health.checks import disk_health
from memo_coach.security.file_modes import file_mode_findings
from memo_coach.settings import SECRET_FILE_NAME
from memo_coach.support.doctor.result import FAIL, WARN, CheckResult, DoctorContext, from_health, ok, problem
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
            **versions,
        )
    return ok("versions", f"memo-coach {__version__} on Python {versions['python']}", **versions)


def check_configuration(ctx: DoctorContext) -> CheckResult:
    """Every file under config/ parses and passes its checks, then health's: each has a valid active version."""
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
            "fix the file (`memo-coach config validate NAME FILE` shows every problem), or put back the "
            "active versions with `memo-coach config export --dir config`",
            problems=problems,
        )
    if not ctx.database_error:
        with ctx.sessions() as session:
            active = active_versions_health(session)
        if active.status != HEALTHY:
            return from_health("configuration", active)
    return ok("configuration", f"{len(SCHEMAS)} configuration files valid", files=sorted(SCHEMAS))


def check_disk(ctx: DoctorContext) -> CheckResult:
    """Health's disk check under support.yaml's thresholds, without its write probe: a file appearing
    and vanishing in the data directory would trip the file-mode check running beside it."""
    path = ctx.settings.data_dir if ctx.settings.data_dir.exists() else Path.cwd()
    limits = ctx.config.doctor
    status = disk_health(
        path,
        probe_file=None,
        degraded_below=limits.disk_warn_free_percent / 100,
        unhealthy_below=limits.disk_fail_free_percent / 100,
    )
    return from_health("disk", status)


def check_file_modes(ctx: DoctorContext) -> CheckResult:
    """The security review's finding list; a secret key others can read fails, other open files warn."""
    findings = file_mode_findings(ctx.settings)
    if findings:
        key = str(ctx.settings.data_dir / SECRET_FILE_NAME)
        return problem(
            FAIL if any(f["path"] == key for f in findings) else WARN,
            "file_modes",
            "; ".join(f["title"] for f in findings[:5])
            + (f" (and {len(findings) - 5} more)" if len(findings) > 5 else ""),
            "; ".join(dict.fromkeys(f["fix"] for f in findings[:5])),
            problems=[f["title"] for f in findings],
        )
    return ok("file_modes", "the secret key and the data are private")
