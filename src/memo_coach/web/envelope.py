"""Every API answer has the same shape: {"data", "meta": {"timestamp", "request_id", ...}, "errors": [...]}."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from memo_coach.db.base import utcnow
from memo_coach.observability.logs import request_id_var


def meta(request_id: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"timestamp": utcnow().isoformat(), "request_id": request_id or request_id_var.get(), **extra}


def ok(data: Any, status: int = 200, **extra_meta: Any) -> JSONResponse:
    return JSONResponse({"data": data, "meta": meta(**extra_meta), "errors": []}, status_code=status)


def error_item(code: str, message: str, field: str | None = None, details: dict | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "field": field, "details": details or {}}


def failed(
    status: int, errors: list[dict[str, Any]], headers: dict[str, str] | None = None, request_id: str | None = None
) -> JSONResponse:
    body = {"data": None, "meta": meta(request_id), "errors": errors}
    return JSONResponse(body, status_code=status, headers=headers)
