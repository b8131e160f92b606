"""The doctor's LLM call: GET the provider's model list over plain HTTP, no tokens spent.

Not through the SDKs: importing one takes one to three seconds on a busy machine, longer than the
whole doctor may take. The request is the one the SDKs' `models.list()` sends, with the same
authentication headers, so a refused key answers 401 here exactly as it would there.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

ANTHROPIC_URL = "https://api.anthropic.com"
OPENAI_URL = "https://api.openai.com/v1"
ANTHROPIC_VERSION = "2023-06-01"


@dataclass(frozen=True)
class ProbeResult:
    reachable: bool
    status: int | None  # HTTP status, None when no answer came
    message: str
    timed_out: bool = False


def models_request(provider: str, base_url: str | None, api_key: str | None) -> urllib.request.Request:
    if provider == "anthropic":
        url = (base_url or ANTHROPIC_URL).rstrip("/") + "/v1/models"
        headers = {"x-api-key": api_key or "", "anthropic-version": ANTHROPIC_VERSION}
    else:
        url = (base_url or OPENAI_URL).rstrip("/") + "/models"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    return urllib.request.Request(url, headers=headers, method="GET")


def _error_text(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read(2000) or b"{}")
        inner = body.get("error", body) if isinstance(body, dict) else {}
        return str(inner.get("message") or error.reason)[:200] if isinstance(inner, dict) else str(error.reason)
    except (ValueError, OSError):
        return str(error.reason)


def probe(request: urllib.request.Request, timeout: float) -> ProbeResult:
    """A 404 still proves the server is there (some compatible servers list no models)."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return ProbeResult(True, response.status, "answered")
    except urllib.error.HTTPError as exc:
        return ProbeResult(exc.code == 404, exc.code, f"HTTP {exc.code}: {_error_text(exc)}")
    except TimeoutError:
        return ProbeResult(False, None, "no answer in time", timed_out=True)
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            return ProbeResult(False, None, "no answer in time", timed_out=True)
        return ProbeResult(False, None, f"could not connect: {reason}")
    except OSError as exc:
        return ProbeResult(False, None, f"could not connect: {exc}")
