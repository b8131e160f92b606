"""The LLM process's side (see sdk_process.py): the only process that imports an LLM SDK.

Requests come in on standard input and answers go out on standard output, one JSON object a line
(see memo_coach.child_process), matched by id. Each request runs as a task on one event loop with the
SDK's async client, so a hundred calls waiting for a slow model cost a hundred small tasks here, not a
hundred threads.

A request: {"id", "op": "send", "client": {provider, api_key, base_url}, "timeout",
"timeout_note" (ends the message of a timeout), and "call": the keyword arguments of
messages.create or chat.completions.create}. An answer:
{"id", "text"} or {"id", "error": {message, retryable, status, retry_after}} (LLMError's fields).
"""

from __future__ import annotations

import asyncio
import email.utils
import importlib
import threading
from datetime import UTC, datetime
from typing import Any

from memo_coach.child_process import JSON_LINES, ParentPipes

RETRYABLE_STATUS = frozenset({408, 409, 429})  # plus every 5xx, and 529 (Anthropic "overloaded")
CLIENTS_KEPT = 8  # SDK clients kept open here, one per provider, key and base URL in use


class _Clients:
    """One async SDK client per (provider, key, base URL): each holds a connection pool worth keeping."""

    def __init__(self) -> None:
        self._clients: dict[tuple, tuple[Any, Any]] = {}

    def get(self, spec: dict) -> tuple[Any, Any]:
        """(the SDK module, a client) for `spec`."""
        key = (spec["provider"], spec["api_key"], spec["base_url"])
        if key not in self._clients:
            if len(self._clients) >= CLIENTS_KEPT:
                self._clients.clear()  # old clients close their pools when collected
            self._clients[key] = _make_client(**spec)
        return self._clients[key]


def _make_client(provider: str, api_key: str, base_url: str | None) -> tuple[Any, Any]:
    # max_retries=0: the SDKs retry by themselves, which would hide failures from the server's breaker.
    kwargs = {"base_url": base_url} if base_url else {}
    if provider == "anthropic":
        sdk = importlib.import_module("anthropic")
        return sdk, sdk.AsyncAnthropic(api_key=api_key, max_retries=0, **kwargs)
    sdk = importlib.import_module("openai")
    return sdk, sdk.AsyncOpenAI(api_key=api_key, max_retries=0, **kwargs)


async def answer(request: dict, clients: _Clients) -> dict:
    """The answer to one request: its text, or the fields of the LLMError it ends with."""
    spec, timeout = request["client"], request["timeout"]
    provider = spec["provider"]
    too_slow = f"{provider} did not answer within {timeout:.1f} s{request.get('timeout_note', '')}"
    try:
        sdk, client = clients.get(spec)
    except Exception as exc:  # an SDK that cannot be imported or refuses its settings
        return _error(f"{provider} client could not be built: {type(exc).__name__}: {exc}"[:300])
    try:
        # The SDK's timeout bounds each read; wait_for bounds the whole call, so a server that
        # trickles its answer cannot hold it longer.
        return {"text": await asyncio.wait_for(_send(provider, client, request["call"], timeout), timeout)}
    except TimeoutError:
        return _error(too_slow, retryable=True)
    except sdk.APIStatusError as e:
        return _status_error(provider, e)
    except sdk.APITimeoutError:
        return _error(too_slow, retryable=True)
    except sdk.APIConnectionError as e:
        return _error(f"{provider} connection failed: {_cause(e)}", retryable=True)
    except sdk.APIError as e:
        return _error(f"{provider} answered unexpectedly: {e}")
    except _NoChoices:
        return _error(f"{provider} answered with no choices", retryable=True)
    except Exception as e:
        # The SDKs let some faults escape their own error classes (a 200 whose body is not JSON
        # raises a JSONDecodeError): any of them is a failed call, not a crash of this process.
        return _error(f"{provider} answered unreadably: {type(e).__name__}: {e}"[:300])


class _NoChoices(Exception):
    pass


async def _send(provider: str, client: Any, call: dict, timeout: float) -> str:
    if provider == "anthropic":
        response = await client.messages.create(timeout=timeout, **call)
        return "".join(getattr(block, "text", "") for block in response.content)
    response = await client.chat.completions.create(timeout=timeout, **call)
    if not response.choices:
        raise _NoChoices
    return response.choices[0].message.content or ""


def _error(message: str, *, retryable: bool = False, status: int | None = None, retry_after: float | None = None):
    return {"error": {"message": message, "retryable": retryable, "status": status, "retry_after": retry_after}}


def _status_error(provider: str, e: Any) -> dict:
    status = e.status_code
    detail = _error_detail(e)
    return _error(
        f"{provider} answered HTTP {status}{': ' + detail if detail else ''}",
        retryable=status in RETRYABLE_STATUS or status >= 500,
        status=status,
        retry_after=_retry_after(e.response.headers),
    )


def _error_detail(e: Exception) -> str:
    body = getattr(e, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            kind, message = inner.get("type"), inner.get("message")
            text = " ".join(str(x) for x in (f"({kind})" if kind else None, message) if x)
            return text[:300]
    return str(getattr(e, "message", "") or "")[:300]


def _retry_after(headers) -> float | None:
    """Seconds from retry-after-ms / retry-after (seconds or an HTTP date), None when absent or unreadable."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _cause(e: BaseException) -> str:
    root = e.__cause__ or e.__context__
    return f"{type(root).__name__}: {root}" if root else str(e)


async def serve(server: ParentPipes) -> None:
    """Answers every request from `server` until it closes its end."""
    loop = asyncio.get_running_loop()
    clients = _Clients()
    ended = asyncio.Event()
    tasks: set[asyncio.Task] = set()

    async def run(request: dict) -> None:
        try:
            reply = await answer(request, clients)
        except Exception as exc:  # a bug here must not end the process with other calls in flight
            reply = _error(f"the LLM process failed: {type(exc).__name__}: {exc}"[:300])
        server.answer({"id": request["id"], **reply})

    def start(request: dict) -> None:
        task = loop.create_task(run(request))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    def read() -> None:  # blocking reads, on a thread of their own; tasks start on the loop
        for request in server.requests():
            loop.call_soon_threadsafe(start, request)
        loop.call_soon_threadsafe(ended.set)

    threading.Thread(target=read, name="llm-requests", daemon=True).start()
    await ended.wait()


def main() -> None:
    server = ParentPipes(JSON_LINES)
    server.ready()
    asyncio.run(serve(server))


if __name__ == "__main__":
    main()
