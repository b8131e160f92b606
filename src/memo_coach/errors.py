"""One error type for every door: the API renders it in the envelope, pages in words, the CLI as a line."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    status = 400
    code = "bad_request"

    def __init__(
        self, message: str, *, field: str | None = None, details: dict[str, Any] | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}
        if code:
            self.code = code


class InvalidInput(AppError):
    status = 422
    code = "invalid_input"


class Unauthenticated(AppError):
    status = 401
    code = "unauthenticated"


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class NotFound(AppError):
    status = 404
    code = "not_found"


class Conflict(AppError):
    status = 409
    code = "conflict"


class LockedOut(AppError):
    status = 429
    code = "locked_out"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, details={"retry_after_seconds": retry_after})
        self.retry_after = retry_after


class Unavailable(AppError):
    status = 503
    code = "unavailable"


class StorageFull(AppError):
    """Nothing could be written because the disk is full: the writer's text was not stored."""

    status = 507
    code = "storage_full"
    retry_after = 60

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "The server's disk is full, so nothing could be saved and your text was not stored. "
            "Keep your draft and try again in a few minutes; the operators are alerted by the health checks.",
            details={"retry_after_seconds": self.retry_after},
        )


class RateLimited(AppError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, details={"retry_after_seconds": retry_after})
        self.retry_after = retry_after
