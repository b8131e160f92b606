"""The bounds `memo-coach serve` puts on every connection, from the settings (see docs/security.md)."""

from __future__ import annotations

from memo_coach.settings import Settings

# By name, like the app factory: the doors do not import each other.
PROTOCOL = "memo_coach.web.server:BoundedH11Protocol"


def server_limits(settings: Settings) -> dict:
    """uvicorn options: the h11 protocol with a head-size cap and head deadline, a connection cap, and
    X-Forwarded-For believed only from the proxies named in MEMO_COACH_TRUSTED_PROXIES."""
    proxies = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    return {
        "http": PROTOCOL,
        "h11_max_incomplete_event_size": settings.max_head_bytes,
        "limit_concurrency": settings.max_connections,
        "timeout_keep_alive": 5,
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or [],
    }
