"""The LLM evaluator: prompt, call, parse the JSON, repair it once, and keep only quotes found in the memo."""

from __future__ import annotations

import functools
import json
import logging
import re
from typing import TYPE_CHECKING

from pydantic import ValidationError

from memo_coach.coaching.language import detect
from memo_coach.coaching.llm.errors import InvalidAnswer, LLMError
from memo_coach.coaching.prompt import render_evaluation, render_repair
from memo_coach.coaching.result import (
    Evaluated,
    EvaluationResult,
    SegmentFeedback,
    in_language,
    problems_against_rubric,
)

__all__ = ["InvalidAnswer", "LLMEvaluator", "extract_json", "keep_found_quotes", "parse_evaluation"]

if TYPE_CHECKING:
    from memo_coach.coaching.config_schemas import PromptConfig
    from memo_coach.coaching.llm.client import LLMClient
    from memo_coach.coaching.rubric import Rubric

log = logging.getLogger(__name__)

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.S)
_QUOTE_CHARS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"'})


class LLMEvaluator:
    """Evaluates a memo with an LLMClient; implements the Evaluator protocol."""

    def __init__(self, client: LLMClient) -> None:
        self.client = client
        self.provider = client.provider
        self.model = client.model

    def evaluate(self, memo: str, rubric: Rubric, prompts: PromptConfig, deadline: float | None = None) -> Evaluated:
        """The evaluation, repaired once if the first answer is invalid; LLMError when no usable answer
        comes before `deadline` (time.monotonic()). Asked and answered in the memo's language."""
        language = detect(memo)
        system, user = render_evaluation(prompts, memo, rubric, language.code)
        messages = [{"role": "user", "content": user}]
        parse = functools.partial(parse_evaluation, rubric=rubric)
        try:
            result, repaired = self.client.complete(system, messages, deadline=deadline, parse=parse), False
        except InvalidAnswer as e:
            log.info("llm answer invalid, asking for a repair", extra={"provider": self.provider})
            repair = render_repair(prompts, str(e), e.answer, language.code)
            result = self._repair(system, messages, e.answer, repair, parse, deadline)
            repaired = True
        kept, dropped = keep_found_quotes(result.segment_feedback, memo)
        result = in_language(result.model_copy(update={"segment_feedback": kept}), language.code, language.note)
        return Evaluated(result, self.provider, self.model, dropped_quotes=dropped, repaired=repaired)

    def _repair(
        self, system: str, messages: list[dict], previous: str, repair: str, parse, deadline
    ) -> EvaluationResult:
        conversation = [*messages, {"role": "assistant", "content": previous or "(empty)"}]
        conversation.append({"role": "user", "content": repair})
        try:
            return self.client.complete(system, conversation, deadline=deadline, parse=parse)
        except InvalidAnswer as e:
            raise LLMError(f"model answered malformed JSON twice: {e}", retryable=False) from e


def parse_evaluation(text: str, rubric: Rubric) -> EvaluationResult:
    """The EvaluationResult in a model's answer text, or InvalidAnswer saying what is wrong."""
    data = extract_json(text)
    try:
        result = EvaluationResult.model_validate(data)
    except ValidationError as e:
        raise InvalidAnswer("the JSON does not match the schema: " + _summarise(e)) from e
    problems = problems_against_rubric(result, rubric)
    if problems:
        raise InvalidAnswer("the scores do not fit the rubric: " + "; ".join(problems))
    return result


def extract_json(text: str) -> dict:
    """The first JSON object in `text`, tolerating ```json fences and prose around it."""
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    decoder = json.JSONDecoder()
    for candidate in candidates:
        for start in (i for i, ch in enumerate(candidate) if ch == "{"):
            try:
                value, _ = decoder.raw_decode(candidate, start)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                return value
    raise InvalidAnswer("the answer contains no JSON object" if text.strip() else "the answer is empty")


def keep_found_quotes(items: list[SegmentFeedback], memo: str) -> tuple[list[SegmentFeedback], int]:
    """Items whose quote is in the memo (stored with the memo's exact text), and how many were dropped."""
    index = _NormalisedText(memo)
    kept = []
    for item in items:
        exact = index.find(item.quote)
        if exact is not None:
            kept.append(item.model_copy(update={"quote": exact}))
    return kept, len(items) - len(kept)


class _NormalisedText:
    """Text with whitespace runs collapsed and curly quotes straightened, mapped back to the original."""

    def __init__(self, text: str) -> None:
        self.original = text
        chars: list[str] = []
        self.positions: list[int] = []  # positions[i] = index in original of normalised char i
        for i, ch in enumerate(text):
            if ch.isspace():
                if chars and chars[-1] == " ":
                    continue
                ch = " "
            chars.append(ch.translate(_QUOTE_CHARS))
            self.positions.append(i)
        self.normalised = "".join(chars)

    def find(self, quote: str) -> str | None:
        """The original text matching `quote` after normalisation, or None."""
        needle = " ".join(quote.translate(_QUOTE_CHARS).split())
        if not needle:
            return None
        start = self.normalised.find(needle)
        if start < 0:
            return None
        end = start + len(needle) - 1
        return self.original[self.positions[start] : self.positions[end] + 1]


def _summarise(error: ValidationError, limit: int = 6) -> str:
    parts = [f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}" for e in error.errors()[:limit]]
    more = error.error_count() - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
