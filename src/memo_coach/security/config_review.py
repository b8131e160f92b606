"""The security configuration review (weekly task and `memo-coach security review`): each finding has
a severity and the fix, so an operator can act on it and an auditor can see it was looked at."""

from __future__ import annotations

import stat

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach.auth.models import User
from memo_coach.auth.roles import Role
from memo_coach.config_store.versions import active_models
from memo_coach.security.file_modes import file_mode_findings
from memo_coach.settings import SECRET_FILE_NAME, Settings

SEVERITIES = ("high", "medium", "low", "info")
MIN_SECRET_CHARS = 32
PUBLIC_HOSTS = ("0.0.0.0", "::", "")


def finding(check: str, severity: str, title: str, fix: str) -> dict:
    return {"check": check, "severity": severity, "title": title, "fix": fix}


def _secret_key(settings: Settings) -> list[dict]:
    found = []
    key = settings.secret_key.get_secret_value() if settings.secret_key else None
    path = settings.data_dir / SECRET_FILE_NAME
    if key is None and path.exists():
        key = path.read_text().strip()
    if not key or len(key) < MIN_SECRET_CHARS:
        found.append(
            finding(
                "secret_key",
                "high",
                f"the secret key is shorter than {MIN_SECRET_CHARS} characters",
                "set MEMO_COACH_SECRET_KEY to `python -c 'import secrets; print(secrets.token_urlsafe(48))'`",
            )
        )
    if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
        found.append(finding("secret_key", "high", f"{path} is readable by others", f"chmod 600 {path}"))
    return found


def _transport(settings: Settings) -> list[dict]:
    found = []
    if not settings.cookie_secure:
        found.append(
            finding(
                "cookies",
                "medium",
                "session cookies are sent over plain HTTP (MEMO_COACH_COOKIE_SECURE is off)",
                "terminate TLS at the reverse proxy and set MEMO_COACH_COOKIE_SECURE=true",
            )
        )
    if settings.host in PUBLIC_HOSTS and not settings.trusted_proxies:
        found.append(
            finding(
                "proxy",
                "medium",
                f"the server binds {settings.host or 'every address'} with no reverse proxy configured",
                "bind 127.0.0.1 behind HAProxy or nginx (docs/security.md) and set MEMO_COACH_TRUSTED_PROXIES",
            )
        )
    return found


def _policies(session: Session, settings: Settings) -> list[dict]:
    found = []
    auth = active_models(session).get("auth")
    if auth is not None:
        if auth.session_hours > 24:
            found.append(
                finding("session_lifetime", "low", f"sessions last {auth.session_hours:g} hours", "session_hours: 12")
            )
        limits = auth.rate_limits
        if limits.login.per_account > 30 or limits.submit.per_account > 60:
            found.append(
                finding("rate_limits", "medium", "sign-in or submit rate limits are loose", "see config/auth.yaml")
            )
        if not auth.require_approval:
            found.append(
                finding(
                    "two_person_rule",
                    "info",
                    "configuration changes and new admins need no second admin",
                    "require_approval: true in config/auth.yaml once there are two admins",
                )
            )
    if not settings.backup_key:
        found.append(finding("backup_encryption", "medium", "backups are not encrypted", "set MEMO_COACH_BACKUP_KEY"))
    admins = session.scalar(select(func.count(User.id)).where(User.role == Role.admin.value, User.is_active)) or 0
    if admins > 3:
        found.append(finding("admins", "low", f"{admins} active admins", "review who needs the admin role"))
    return found


def security_review(session: Session, settings: Settings) -> dict:
    """Every finding, most severe first, with counts by severity."""
    found = [*_secret_key(settings), *_transport(settings), *_policies(session, settings)]
    found += file_mode_findings(settings)
    found.sort(key=lambda f: SEVERITIES.index(f["severity"]))
    counts = {s: sum(1 for f in found if f["severity"] == s) for s in SEVERITIES}
    return {"findings": found, "counts": counts}
