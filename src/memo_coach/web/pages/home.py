"""The landing page; the writer pages replace its content."""

from __future__ import annotations

from fastapi import APIRouter, Request

from memo_coach.web.deps import Writer
from memo_coach.web.pages.render import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, user: Writer):
    return render(request, "home.html")
