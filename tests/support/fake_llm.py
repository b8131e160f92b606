"""A fake LLM HTTP server speaking the Anthropic and OpenAI wire formats, with scripted behaviours.

In tests:
    with FakeLLM() as fake:
        fake.script("status:429:retry_after=0.1", "good")
        client = ...(base_url=fake.anthropic_base_url or fake.openai_base_url)

Standalone, for benchmarks:
    python tests/support/fake_llm.py --port 8999 [--delay 0] [--default good]
    (POST /_fake/script {"behaviours": [...]} queues behaviours; GET /_fake/stats reports counts.)

Behaviours, consumed one per request, then `default`:
    good                      a valid evaluation for the criteria ids found in the prompt,
                              quoting a real sentence of the memo found between <memo> tags
    slow:<seconds>            wait, then answer like `good`
    malformed                 text that is not JSON
    garbled                   HTTP 200 whose body is not JSON at all (a broken proxy, a cut-off answer)
    invalid                   JSON missing required fields
    status:<code>[:retry_after=<s>]   an error in the provider's format (429, 500, 529, 400, ...)
    hang                      never answer (until the client gives up or the server stops)
    drop                      close the connection without answering
    text:<literal>            answer with the literal text (chat)
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REDACTED_HEADERS = {"authorization", "x-api-key", "api-key"}
DEFAULT_CRITERIA = ("clarity",)
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    409: "conflict_error",
    429: "rate_limit_error",
    500: "api_error",
    503: "api_error",
    529: "overloaded_error",
}


class FakeLLM:
    """The fake server, run on 127.0.0.1 in a background thread; a context manager."""

    def __init__(
        self,
        port: int = 0,
        default: str = "good",
        delay: float = 0.0,
        rubric_path: str | Path | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.default = default
        self.delay = delay
        self._queue: collections.deque[str] = collections.deque()
        self._lock = threading.Lock()
        self._requests: list[dict] = []
        self._counts: collections.Counter[str] = collections.Counter()
        self.stopping = threading.Event()
        self.rubric_criteria, self.rubric_scale = _load_rubric(rubric_path)
        self.record = True
        # How GET /v1/models (the cheap probe) behaves: absent (404, as before), good, hang or status:<code>.
        self.models = "absent"
        # Behaviours for requests naming a model (a model that answers in prose, say), before the queue.
        self.by_model: dict[str, str] = {}
        self._server = _Server((host, port), _Handler)
        self._server.fake = self
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------------
    def start(self) -> FakeLLM:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-llm", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # releases `hang` handlers
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """Root URL: the Anthropic SDK appends /v1/messages to it."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def anthropic_base_url(self) -> str:
        return self.base_url

    @property
    def openai_base_url(self) -> str:
        """The OpenAI SDK appends /chat/completions, so its base URL includes /v1."""
        return f"{self.base_url}/v1"

    # --- scripting and inspection -----------------------------------------------------------------
    def script(self, *behaviours: str) -> None:
        """Queue behaviours, one consumed per request, before falling back to `default`."""
        for b in behaviours:
            _parse_behaviour(b)  # fail fast on typos
        with self._lock:
            self._queue.extend(behaviours)

    def next_behaviour(self) -> str:
        with self._lock:
            return self._queue.popleft() if self._queue else self.default

    def record_request(self, path: str, headers: dict, body: Any, behaviour: str) -> None:
        with self._lock:
            self._counts[path] += 1
            if self.record:
                self._requests.append({"path": path, "headers": headers, "json": body, "behaviour": behaviour})

    @property
    def requests(self) -> list[dict]:
        with self._lock:
            return list(self._requests)

    @property
    def request_count(self) -> int:
        with self._lock:
            return sum(self._counts.values())

    def stats(self) -> dict:
        with self._lock:
            return {"requests": dict(self._counts), "queued": list(self._queue), "default": self.default}

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self._requests.clear()
            self._counts.clear()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256
    fake: FakeLLM

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out and hung up is expected here (slow, hang); anything else is a fake bug.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so benchmarks measure the app, not TCP handshakes
    # Headers and body leave in one segment (buffered writer, flushed after each request) with Nagle off:
    # otherwise delayed ACKs add ~40 ms to some answers.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and benchmarks read no access log
        pass

    def do_GET(self) -> None:
        if self.path == "/_fake/stats":
            return self._send_json(200, self.server.fake.stats())
        if self.server.fake.default == "hang":  # a hung server hangs for every route, model lists too
            self.server.fake.stopping.wait(timeout=60)
            self.close_connection = True
            return None
        path = self.path.split("?", 1)[0]
        if path == "/v1/models" and self.server.fake.models != "absent":
            return self._models(path)
        return self._send_json(404, {"error": {"type": "not_found_error", "message": f"no route {self.path}"}})

    def do_POST(self) -> None:
        fake = self.server.fake
        body = self._read_json()
        path = self.path.split("?", 1)[0]
        if path == "/_fake/script":
            fake.script(*body.get("behaviours", []))
            if "default" in body:
                fake.default = body["default"]
            if "models" in body:
                fake.models = body["models"]
            return self._send_json(200, fake.stats())
        if path not in ("/v1/messages", "/v1/chat/completions"):
            return self._send_json(404, {"error": {"type": "not_found_error", "message": f"no route {path}"}})
        behaviour = fake.by_model.get(body.get("model")) or fake.next_behaviour()
        fake.record_request(path, _safe_headers(self.headers), body, behaviour)
        self._behave(behaviour, path, body)

    def _behave(self, behaviour: str, path: str, body: dict) -> None:
        fake = self.server.fake
        kind, arg = _parse_behaviour(behaviour)
        if fake.delay:
            fake.stopping.wait(timeout=fake.delay)
        if kind == "hang":
            fake.stopping.wait(timeout=60)
            self.close_connection = True
            return None
        if kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return None
        if kind == "status":
            return self._send_error(path, arg["code"], arg.get("retry_after"))
        if kind == "garbled":
            return self._send_raw(200, b'{"id": "msg_01", "content": [{"type": "text", "te')
        if kind == "slow":
            fake.stopping.wait(timeout=arg["seconds"])
        return self._send_answer(path, body, _answer_text(kind, arg, body, fake))

    def _models(self, path: str) -> None:
        """The model list a probe asks for, behaving as `fake.models` says (good, hang, status:<code>)."""
        fake = self.server.fake
        kind, arg = _parse_behaviour(fake.models)
        fake.record_request(path, _safe_headers(self.headers), None, fake.models)
        if kind == "hang":
            fake.stopping.wait(timeout=60)
            self.close_connection = True
            return None
        if kind == "status":
            anthropic = "anthropic-version" in self.headers
            return self._send_error("/v1/messages" if anthropic else path, arg["code"], arg.get("retry_after"))
        return self._send_json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})

    # --- wire formats -----------------------------------------------------------------------------
    def _send_answer(self, path: str, request: dict, text: str) -> None:
        model = request.get("model", "fake-model")
        usage_in, usage_out = len(json.dumps(request)) // 4, len(text) // 4
        if path == "/v1/messages":
            payload = {
                "id": f"msg_{uuid.uuid4().hex[:24]}",
                "type": "message",
                "role": "assistant",
                "model": model,
                "content": [{"type": "text", "text": text}],
                "stop_reason": "end_turn",
                "stop_sequence": None,
                "usage": {"input_tokens": usage_in, "output_tokens": usage_out},
            }
        else:
            payload = {
                "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {
                    "prompt_tokens": usage_in,
                    "completion_tokens": usage_out,
                    "total_tokens": usage_in + usage_out,
                },
            }
        self._send_json(200, payload)

    def _send_error(self, path: str, code: int, retry_after: float | None) -> None:
        kind = ERROR_TYPES.get(code, "api_error")
        message = {429: "Rate limited", 529: "Overloaded", 500: "Internal server error"}.get(code, f"Error {code}")
        if path == "/v1/messages":
            payload = {"type": "error", "error": {"type": kind, "message": message}}
        else:
            payload = {"error": {"message": message, "type": kind, "param": None, "code": None}}
        headers = {"retry-after": f"{retry_after:g}"} if retry_after is not None else {}
        self._send_json(code, payload, headers)

    def _send_json(self, status: int, payload: dict, headers: dict | None = None) -> None:
        self._send_raw(status, json.dumps(payload).encode(), headers)

    def _send_raw(self, status: int, data: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("request-id", f"req_{uuid.uuid4().hex[:16]}")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _read_json(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            return {"_raw": raw.decode(errors="replace")}


# --- behaviours and answers ----------------------------------------------------------------------
def _parse_behaviour(behaviour: str) -> tuple[str, dict]:
    kind, _, rest = behaviour.partition(":")
    if kind in ("good", "malformed", "invalid", "hang", "drop", "garbled"):
        return kind, {}
    if kind == "slow":
        return kind, {"seconds": float(rest)}
    if kind == "text":
        return kind, {"text": rest}
    if kind == "status":
        code, _, option = rest.partition(":")
        arg: dict[str, Any] = {"code": int(code)}
        if option.startswith("retry_after="):
            arg["retry_after"] = float(option.removeprefix("retry_after="))
        return kind, arg
    raise ValueError(f"unknown fake LLM behaviour {behaviour!r}")


def _answer_text(kind: str, arg: dict, request: dict, fake: FakeLLM) -> str:
    if kind == "text":
        return arg["text"]
    if kind == "malformed":
        return "I think this memo is quite good overall, but {not json at all"
    if kind == "invalid":
        return json.dumps({"strengths": ["Clear"], "rubric_scores": "none"})
    return json.dumps(good_evaluation(_prompt_text(request), fake.rubric_criteria, fake.rubric_scale))


def good_evaluation(prompt: str, criteria: tuple[str, ...] | None = None, scale: tuple[int, int] | None = None) -> dict:
    """A valid evaluation for the criteria in `prompt` (or `criteria`), quoting the memo found in it."""
    ids = tuple(dict.fromkeys(re.findall(r"criterion_id: ([a-z][a-z0-9_]*)", prompt))) or criteria or DEFAULT_CRITERIA
    found = re.search(r"integer scale (\d+) to (\d+)", prompt)
    low, high = (int(found[1]), int(found[2])) if found else (scale or (1, 5))
    score = (low + high) // 2
    quote = _first_sentence(prompt)
    return {
        "strengths": ["The recommendation is stated early.", "The memo is short."],
        "opportunities": ["Quantify the benefit.", "Name an owner for each next step."],
        "rubric_scores": [{"criterion_id": c, "score": score, "justification": f"Fake score for {c}."} for c in ids],
        "segment_feedback": (
            [{"quote": quote, "comment": "Lead with this.", "questions": ["By when?"], "suggestion": "Add a date."}]
            if quote
            else []
        ),
    }


def _prompt_text(request: dict) -> str:
    """All user-visible text of the request, in both formats (string or content-block messages)."""
    parts = []
    for message in request.get("messages", []):
        content = message.get("content", "")
        if isinstance(content, list):
            parts.extend(block.get("text", "") for block in content if isinstance(block, dict))
        else:
            parts.append(str(content))
    return "\n".join(parts)


def _first_sentence(prompt: str) -> str | None:
    found = re.search(r"<memo>\s*(.*?)\s*</memo>", prompt, re.S)
    if not found:
        return None
    sentence = re.search(r"[^\s.!?][^.!?\n]*[.!?]?", found[1])
    return sentence[0].strip() if sentence else None


def _safe_headers(headers: Any) -> dict:
    return {k.lower(): ("<redacted>" if k.lower() in REDACTED_HEADERS else v) for k, v in headers.items()}


def _load_rubric(path: str | Path | None) -> tuple[tuple[str, ...] | None, tuple[int, int] | None]:
    if path is None:
        return None, None
    import yaml

    data = yaml.safe_load(Path(path).read_text())
    scale = data.get("scale") or {}
    return tuple(c["id"] for c in data["criteria"]), (scale.get("min", 1), scale.get("max", 5))


def main() -> None:
    parser = argparse.ArgumentParser(description="Fake Anthropic/OpenAI server for tests and benchmarks")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8999)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before every answer")
    parser.add_argument("--default", default="good", help="behaviour when the script queue is empty")
    parser.add_argument("--models", default="absent", help="GET /v1/models: absent (404), good, hang, status:<code>")
    parser.add_argument("--rubric", default=None, help="rubric.yaml to take criteria ids from (else from prompt)")
    args = parser.parse_args()
    fake = FakeLLM(port=args.port, default=args.default, delay=args.delay, rubric_path=args.rubric, host=args.host)
    fake.models = args.models
    fake.record = False  # a long benchmark must not grow memory; counts are still kept
    print(
        f"fake LLM listening on http://{args.host}:{fake.port} (anthropic: /v1/messages, openai: /v1/chat/completions)"
    )
    try:
        fake._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stopping.set()
        fake._server.server_close()


if __name__ == "__main__":
    main()
