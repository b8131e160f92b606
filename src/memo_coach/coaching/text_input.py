"""The one rule for text a writer types (memos, chat questions): not blank, not over its limit."""

from __future__ import annotations

from memo_coach.errors import InvalidInput


def require_text(text: str, limit: int, *, field: str, noun: str, code: str) -> str:
    """Returns the text unchanged, or raises naming the field: `empty_<code>` or `<code>_too_long`."""
    if not text.strip():
        raise InvalidInput(f"the {noun} is empty", field=field, code=f"empty_{code}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as \ud800 cannot be stored or shown
        raise InvalidInput(
            f"the {noun} holds characters that are not valid text", field=field, code=f"invalid_{code}"
        ) from None
    if len(text) > limit:
        raise InvalidInput(
            f"the {noun} has {len(text):,} characters; the limit is {limit:,}",
            field=field,
            code=f"{code}_too_long",
            details={"limit": limit},
        )
    return text
