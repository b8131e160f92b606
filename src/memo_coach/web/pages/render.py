"""Rendering pages: one Jinja2 environment, the signed-in user and the CSRF token in every page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from memo_coach import __version__
from memo_coach.auth.roles import Role
from memo_coach.db.engine import session_scope
from memo_coach.incidents.status import writer_banner
from memo_coach.maintenance.mode.service import maintenance_state
from memo_coach.observability.units import human, when
from memo_coach.web.csrf import CSRF_COOKIE, token_for
from memo_coach.web.deps import runtime_of
from memo_coach.web.flash import FLASH_COOKIE, take_flash
from memo_coach.web.pages import template_filters, translation
from memo_coach.web.pages.chat_text import chat_html
from memo_coach.web.pages.translation import speaking, template_language

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))
TEMPLATES.env.globals["app_version"] = __version__
translation.install(TEMPLATES.env)


def has_role(user, role: str) -> bool:
    return user is not None and Role(user.role).includes(Role(role))


TEMPLATES.env.globals["has_role"] = has_role
TEMPLATES.env.filters["human"] = human


def code_spans(text: str) -> Markup:
    """Plain text with `backticked` commands shown as code (health fixes name commands that way)."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


TEMPLATES.env.filters["code_spans"] = code_spans
TEMPLATES.env.filters["when"] = when
TEMPLATES.env.filters["chat_html"] = chat_html
template_filters.install(TEMPLATES.env)


def _maintenance_notice(request: Request):
    """Every page shows the maintenance banner while a window is in force (one indexed query)."""
    with session_scope(runtime_of(request).sessions) as session:
        return maintenance_state(session)


def _incident_notice(request: Request):
    """Writers see the gravest open incident that affects them, on every page (one indexed query)."""
    with session_scope(runtime_of(request).sessions) as session:
        return writer_banner(session)


def render(request: Request, template: str, status: int = 200, **context: Any):
    csrf = token_for(request)
    user = getattr(request.state, "viewer", None)
    flash = take_flash(request)
    language = template_language(request, template)
    context = {
        "lang": language,
        "user": user,
        "csrf_token": csrf,
        "maintenance_notice": _maintenance_notice(request),
        "flash": flash,
        "incident_notice": _incident_notice(request),
        "request_id": getattr(request.state, "request_id", ""),  # pages show it so a writer can quote it
        **context,
    }
    with speaking(language):  # the template is rendered here, inside TemplateResponse
        response = TEMPLATES.TemplateResponse(request, template, context, status_code=status)
    response.headers["Content-Language"] = language
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE)
    if request.cookies.get(CSRF_COOKIE) != csrf:
        secure = runtime_of(request).settings.cookie_secure
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", secure=secure)
    return response
