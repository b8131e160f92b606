"""Errors an LLM call ends with, readable by an operator and tagged with whether a retry could help."""

from __future__ import annotations


class LLMError(Exception):
    """An LLM call that did not give a usable answer; `retryable` says whether trying again later could help."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = False,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, retryable={self.retryable}, "
            f"status={self.status}, retry_after={self.retry_after})"
        )


class BreakerOpen(LLMError):
    """Refused without calling: the circuit breaker is open after repeated failures."""

    def __init__(self, provider: str, retry_in: float | None = None) -> None:
        when = f"; next trial in {retry_in:.0f} s" if retry_in is not None else ""
        super().__init__(
            f"{provider} circuit breaker is open after repeated failures{when}",
            retryable=True,
            retry_after=retry_in,
        )


class InvalidAnswer(ValueError):
    """The model answered, but not with a usable evaluation; the message tells the model what to fix.

    A call whose answer is unusable counts as a failed call for the breaker and the health stats:
    a model that answers garbage is as broken for writers as one that does not answer."""

    def __init__(self, message: str, answer: str = "") -> None:
        super().__init__(message)
        self.answer = answer
