"""Which hosts may receive the API keys and the writers' memos an LLM call carries.

An admin edits llm.yaml, but a `base_url` decides where secrets and writers' text go, so the hosts
allowed are the host's decision, from the environment (MEMO_COACH_LLM_ALLOWED_HOSTS), never from
configuration an admin can edit: loopback and each provider's own host always, plus the hosts listed
there. `refusal` is the one check of a destination, for llm.yaml's base_url and any future place that
names one (a provider chain).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

PROVIDER_HOSTS = {"anthropic": "api.anthropic.com", "openai": "api.openai.com"}
ALLOWED_HOSTS_SETTING = "MEMO_COACH_LLM_ALLOWED_HOSTS"


def allowed_hosts(setting: str) -> frozenset[str]:
    """The providers' own hosts and those of the setting (comma-separated host names or addresses)."""
    listed = {_normal(h) for h in setting.split(",") if h.strip()}
    return frozenset(PROVIDER_HOSTS.values()) | listed


def host_of(url: str) -> str:
    """The host (and port, when given) a URL names, for audit records: never the path or a user part."""
    parts = urlsplit(url)
    host = _normal(parts.hostname or "")
    return f"{host}:{parts.port}" if parts.port else host


def refusal(url: str, allowed: frozenset[str]) -> str | None:
    """None when `url` may receive keys and memos; otherwise why not, in words an admin can act on."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as exc:
        return f"{url!r} is not a URL: {exc}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{url!r} must be an http:// or https:// URL with a host"
    if parts.username is not None or parts.password is not None:
        return "must not carry a user or password: API keys come only from the environment"
    host = _normal(parts.hostname)
    if _is_loopback(host) or host in allowed:
        return None
    return (
        f"host {host!r} may not receive API keys and memos; allowed are loopback and {', '.join(sorted(allowed))}. "
        f"The server's operator adds hosts with {ALLOWED_HOSTS_SETTING}"
    )


def _normal(host: str) -> str:
    return host.strip().lower().rstrip(".")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
