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
