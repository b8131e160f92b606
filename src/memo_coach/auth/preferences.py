"""A user's own preferences: the language of their pages. Not audited: nothing about access changes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from memo_coach.auth.models import User
from memo_coach.errors import InvalidInput
from memo_coach.i18n import LANGUAGES

AUTOMATIC = ""  # what a form sends for "follow the browser"; stored as None


def set_language(session: Session, user: User, language: str | None) -> str | None:
    """Stores "en", "es", or None (follow the browser's Accept-Language); anything else is refused."""
    chosen = None if language in (None, AUTOMATIC) else language
    if chosen is not None and chosen not in LANGUAGES:
        raise InvalidInput(
            f"language must be one of {', '.join(LANGUAGES)}, or empty to follow the browser", field="language"
        )
    user.language = chosen
    session.flush()
    return chosen
