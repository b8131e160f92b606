"""How to use the coach, and the active rubric and frameworks, generated from the active configuration."""

from __future__ import annotations

from fastapi import APIRouter, Request

from memo_coach.coaching.chat import MAX_QUESTION_CHARS
from memo_coach.config_store.models import ConfigVersion
from memo_coach.web.deps import CoachDep, Config, DbSession, Writer
from memo_coach.web.pages.render import render

router = APIRouter(include_in_schema=False)


@router.get("/help")
def help_page(request: Request, user: Writer, config: Config, coach: CoachDep, db: DbSession):
    version_id = config.version_ids.get("rubric")
    return render(
        request,
        "help.html",
        rubric=config.rubric,
        rubric_version=db.get(ConfigVersion, version_id) if version_id else None,
        max_chars=coach.max_chars,
        max_question=MAX_QUESTION_CHARS,
    )
