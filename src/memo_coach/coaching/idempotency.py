"""Idempotency-Key on submissions: a writer who resubmits after a dropped connection gets the first
evaluation back instead of a second copy. Keys are per writer, stored on the evaluation row."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach.coaching.models import Evaluation
from memo_coach.errors import Conflict, InvalidInput

MAX_KEY_CHARS = 128
_KEY = re.compile(r"^[\x21-\x7e]{1,128}$")  # printable ASCII, no spaces: what clients put in a header


def check_key(key: str | None) -> str | None:
    """The key, or None when none was sent; a key that cannot be one is refused, naming the field."""
    if key is None or key == "":
        return None
    if not _KEY.match(key):
        raise InvalidInput(
            f"an Idempotency-Key is 1 to {MAX_KEY_CHARS} printable characters without spaces",
            field="idempotency_key",
        )
    return key


def first_for_key(session: Session, user_id: int, key: str, text: str) -> Evaluation | None:
    """The writer's earlier evaluation under this key; the same key with another memo is a conflict."""
    first = session.scalars(
        select(Evaluation).where(Evaluation.user_id == user_id, Evaluation.idempotency_key == key)
    ).first()
    if first is not None and first.text_content != text:
        raise Conflict(
            "this Idempotency-Key was already used for a different memo; send a new key for a new memo",
            field="idempotency_key",
            code="idempotency_key_reused",
        )
    return first
