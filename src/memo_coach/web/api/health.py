"""The public liveness answer; the observability work grows the detailed checks."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from memo_coach import __version__
from memo_coach.web.deps import PUBLIC

router = APIRouter(tags=["health"])


@router.get("/health", dependencies=[Depends(PUBLIC)])
async def health():
    return JSONResponse({"status": "healthy", "version": __version__})
