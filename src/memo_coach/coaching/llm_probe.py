"""Whether the configured LLM provider answers and accepts the key: one model-list call, no tokens spent.

Plain HTTP, not through the SDKs or the LLM process: importing an SDK takes one to three seconds, longer
than `memo-coach doctor` may take in all, and a probe must answer while that process is what is broken.
The request is the one the SDKs' `models.list()` sends, with the same authentication headers, so a
refused key answers 401 here exactly as it would there. The health check and the doctor both call it.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from memo_coach.coaching.config_schemas import LLMConfig
from memo_coach.coaching.llm.factory import choose_provider
from memo_coach.coaching.llm_hosts import allowed_hosts
from memo_coach.component_status import DEGRADED, HEALTHY, UNHEALTHY, ComponentStatus
from memo_coach.settings import Settings

ANTHROPIC_URL = "https://api.anthropic.com"
OPENAI_URL = "https://api.openai.com/v1"
ANTHROPIC_VERSION = "2023-06-01"
KEY_REFUSED = (401, 403)
FIX_KEY = "Set a valid key (ANTHROPIC_API_KEY / OPENAI_API_KEY) and restart; meanwhile the offline analyzer answers."
FIX_REACH = (
    "Check the provider's status and the API key; settings are in config/llm.yaml. Meanwhile the offline"
    " analyzer answers, marked as such."
)


@dataclass(frozen=True)
class LLMTarget:
    """Whom a probe calls; hashable, so probes can be rationed per target."""

    provider: str
    model: str
    base_url: str | None
    api_key: str | None = field(repr=False)


def llm_target(config: LLMConfig, settings: Settings) -> tuple[LLMTarget | None, str]:
    """(the provider the coach would call, or None when the offline analyzer answers; why)."""
    keys = {"anthropic": _secret(settings.anthropic_api_key), "openai": _secret(settings.openai_api_key)}
    provider, reason = choose_provider(
        config, keys["anthropic"], keys["openai"], allowed_hosts(settings.llm_allowed_hosts)
    )
    if provider == "offline":
        return None, reason
    chosen = getattr(config, provider)
    return LLMTarget(provider, chosen.model, chosen.base_url, keys[provider]), reason


def probe_llm(target: LLMTarget, timeout: float) -> ComponentStatus:
    """Healthy when the provider answers; unhealthy when it refuses the key, which no wait repairs;
    degraded otherwise. A 404 still proves the server is there (some compatible servers list no models)."""
    details = {"provider": target.provider, "model": target.model, "url": _models_url(target), "http_status": None}
    try:
        with urllib.request.urlopen(_models_request(target), timeout=timeout) as response:
            details["http_status"] = response.status
    except urllib.error.HTTPError as exc:
        details["http_status"] = exc.code
        if exc.code in KEY_REFUSED:
            return _failed(
                UNHEALTHY, f"the API key was refused by {target.provider} (HTTP {exc.code}: {_text(exc)})", details
            )
        if exc.code != 404:
            return _failed(DEGRADED, f"{target.provider} answered HTTP {exc.code}: {_text(exc)}", details)
    except TimeoutError:
        return _failed(DEGRADED, f"{target.provider} gave no answer within {timeout:.1f} s", details)
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            return _failed(DEGRADED, f"{target.provider} gave no answer within {timeout:.1f} s", details)
        return _failed(DEGRADED, f"{target.provider} could not be reached: {exc.reason}", details)
    except (OSError, ValueError) as exc:  # ValueError: a base_url urllib cannot read
        return _failed(DEGRADED, f"{target.provider} could not be reached: {exc}", details)
    return ComponentStatus("llm", HEALTHY, f"{target.provider} ({target.model}) reachable", details=details)


def _failed(status: str, message: str, details: dict) -> ComponentStatus:
    fix = FIX_KEY if status == UNHEALTHY else FIX_REACH
    return ComponentStatus("llm", status, f"the probe failed: {message}"[:400], details=details, fix=fix)


def _models_url(target: LLMTarget) -> str:
    if target.provider == "anthropic":
        return (target.base_url or ANTHROPIC_URL).rstrip("/") + "/v1/models"
    return (target.base_url or OPENAI_URL).rstrip("/") + "/models"


def _models_request(target: LLMTarget) -> urllib.request.Request:
    if target.provider == "anthropic":
        headers = {"x-api-key": target.api_key or "", "anthropic-version": ANTHROPIC_VERSION}
    else:
        headers = {"Authorization": f"Bearer {target.api_key}"} if target.api_key else {}
    return urllib.request.Request(_models_url(target), headers=headers, method="GET")


def _text(error: urllib.error.HTTPError) -> str:
    """The provider's own words from its error body, else the HTTP reason."""
    try:
        body = json.loads(error.read(2000) or b"{}")
    except (ValueError, OSError):
        return str(error.reason)
    inner = body.get("error", body) if isinstance(body, dict) else None
    return str(inner.get("message") or error.reason)[:200] if isinstance(inner, dict) else str(error.reason)


def _secret(value) -> str | None:
    return value.get_secret_value() if value else None
