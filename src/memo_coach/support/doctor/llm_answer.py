"""The doctor's second LLM probe: a tiny real completion, and whether its answer parses.

A model list proves the provider answers and accepts the key, not that the model's answers are of any
use: a game day found the doctor saying OK while every evaluation fell back to the offline analyzer
because every answer was unusable. So, once the list answers, the doctor asks the configured model for
a one-line JSON object (a few tokens) and reads the answer with the evaluator's own parser.

Plain HTTP, like the model-list probe (coaching/llm_probe.py): importing an SDK takes longer than the
doctor may. The call is bounded (ANSWER_SECONDS) and never retried.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

from memo_coach.coaching.llm.errors import InvalidAnswer
from memo_coach.coaching.llm_probe import ANTHROPIC_URL, ANTHROPIC_VERSION, OPENAI_URL, LLMTarget
from memo_coach.support.doctor.result import FAIL, WARN, CheckResult, ok, problem

ANSWER_SECONDS = 5.0  # a short answer from a healthy provider takes one or two
MAX_TOKENS = 20
QUESTION = 'Reply with this JSON object and nothing else: {"ok": true}'
FIX_UNUSABLE = (
    "the model answers, but not with JSON the coach can read: check the model and base_url in config/llm.yaml "
    "and recent prompt changes (`memo-coach config history llm`, `memo-coach config history prompt`); "
    "roll back with `memo-coach config rollback`"
)
FIX_SLOW = (
    "check the provider's status page and `timeout_seconds` in config/llm.yaml; meanwhile the offline analyzer answers"
)


def check_answer(target: LLMTarget, listed: CheckResult, timeout: float = ANSWER_SECONDS) -> CheckResult:
    """The doctor's llm result: `listed` (the model-list probe's, already OK) confirmed by an answer that parses."""
    started = time.perf_counter()
    details = {**listed.details, "answer_url": _url(target)}
    try:
        text = _complete(target, timeout)
    except TimeoutError:
        return problem(WARN, "llm", f"{_who(target)} gave no answer within {timeout:g} s", FIX_SLOW, **details)
    except urllib.error.HTTPError as exc:
        return problem(WARN, "llm", f"{_who(target)} refused a short answer: HTTP {exc.code}", FIX_SLOW, **details)
    except InvalidAnswer as exc:  # before ValueError, which it is
        return problem(FAIL, "llm", f"{_who(target)} answered, but unusably: {exc}", FIX_UNUSABLE, **details)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return problem(WARN, "llm", f"{_who(target)} did not answer: {_reason(exc)}", FIX_SLOW, **details)
    # The evaluator's own parser; imported here, as it brings the prompt templates (jinja2) that other
    # commands importing the doctor's checks (health) do not need.
    from memo_coach.coaching.llm.evaluator import extract_json

    try:
        extract_json(text)
    except InvalidAnswer as exc:
        said = " ".join(text.split())[:80]
        summary = f"{_who(target)} answered, but unusably ({exc}): {said!r}"
        return problem(FAIL, "llm", summary, FIX_UNUSABLE, **details)
    seconds = time.perf_counter() - started
    return ok("llm", f"{listed.summary}; a test answer parsed in {seconds:.1f} s", **details)


def _who(target: LLMTarget) -> str:
    return f"{target.provider} ({target.model})"


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    if isinstance(reason, TimeoutError):
        return "no answer in time"
    return str(reason)[:200]


def _url(target: LLMTarget) -> str:
    if target.provider == "anthropic":
        return (target.base_url or ANTHROPIC_URL).rstrip("/") + "/v1/messages"
    return (target.base_url or OPENAI_URL).rstrip("/") + "/chat/completions"


def _request(target: LLMTarget) -> urllib.request.Request:
    messages = [{"role": "user", "content": QUESTION}]
    body = {"model": target.model, "max_tokens": MAX_TOKENS, "messages": messages}
    headers = {"Content-Type": "application/json"}
    if target.provider == "anthropic":
        headers |= {"x-api-key": target.api_key or "", "anthropic-version": ANTHROPIC_VERSION}
    elif target.api_key:
        headers["Authorization"] = f"Bearer {target.api_key}"
    return urllib.request.Request(_url(target), data=json.dumps(body).encode(), headers=headers, method="POST")


def _complete(target: LLMTarget, timeout: float) -> str:
    """The answer's text; InvalidAnswer when the body is not the provider's answer format."""
    with urllib.request.urlopen(_request(target), timeout=timeout) as response:
        raw = response.read(100_000)
    try:
        body = json.loads(raw)
        if target.provider == "anthropic":
            return "".join(block.get("text", "") for block in body["content"] if block.get("type") == "text")
        return body["choices"][0]["message"]["content"] or ""
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise InvalidAnswer(f"the reply is not an answer in {target.provider}'s format: {raw[:60]!r}") from None
