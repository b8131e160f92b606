"""The site icon: browsers ask for /favicon.ico whatever the page links, and a missing one would be
every visit's 404, at the top of the console's errors."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse

from memo_coach.web.deps import PUBLIC

ICON = "/static/favicon.svg"
router = APIRouter(include_in_schema=False)


@router.get("/favicon.ico", dependencies=[Depends(PUBLIC)])
def favicon() -> RedirectResponse:
    return RedirectResponse(ICON, status_code=301, headers={"Cache-Control": "public, max-age=86400"})
