"""Runbooks as pages: an alert, a notification or the doctor links here rather than naming a file path.

The runbooks are the Markdown files under docs/runbooks/, our own text; a link from one runbook to
another stays inside these pages. They are found the way the technology review finds docs/debt.md and
the app finds config/: relative to the working directory, which is the checkout for `make run` and the
systemd units (/opt/memo-coach) and /app in the container image, where the Containerfile copies them.
A path inside the installed package would not exist in a wheel, so every link would 404 there.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from markupsafe import Markup

from memo_coach.errors import NotFound
from memo_coach.web.deps import Operator
from memo_coach.web.pages.render import render
from memo_coach.web.pages.template_filters import RUNBOOK_PAGES

router = APIRouter(include_in_schema=False)
RUNBOOKS = Path("docs") / "runbooks"
PREFIX = RUNBOOK_PAGES
NAME = r"^[a-z0-9][a-z0-9_-]{0,80}$"
_SIBLING_LINK = re.compile(r'href="([a-z0-9][a-z0-9_-]*)\.md(#[^"]*)?"')


def _html(markdown_text: str) -> Markup:
    import markdown  # here: only this page needs it

    html = markdown.markdown(markdown_text, extensions=["tables", "fenced_code"])
    return Markup(_SIBLING_LINK.sub(lambda m: f'href="{PREFIX}/{m.group(1)}{m.group(2) or ""}"', html))


@router.get(PREFIX)
def runbook_index(request: Request, user: Operator):
    names = sorted(p.stem for p in RUNBOOKS.glob("*.md")) if RUNBOOKS.is_dir() else []
    return render(request, "ops/runbook.html", name=None, names=names, body=None)


@router.get(PREFIX + "/{name}")
def runbook_page(request: Request, user: Operator, name: str = PathParam(pattern=NAME)):
    path = RUNBOOKS / f"{name}.md"
    if not path.is_file():
        raise NotFound(f"no runbook {name!r} in {RUNBOOKS.resolve()}")
    return render(request, "ops/runbook.html", name=name, names=[], body=_html(path.read_text(encoding="utf-8")))
