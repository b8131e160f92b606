"""Reads of a writer's memo by someone else (an admin) are audited: who read whose evaluation, how."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from memo_coach import audit
from memo_coach.auth.models import User

CONTENT_READ = "content.read"


def note_content_read(session: Session, reader: User, evaluation, how: str = "view") -> None:
    """Records an audit event when the reader is not the evaluation's owner; the owner's reads are not news."""
    if evaluation.user_id != reader.id:
        target = f"evaluation:{evaluation.id}"
        audit.record(session, reader.username, CONTENT_READ, target, {"owner_id": evaluation.user_id, "how": how})


def askers(session: Session, messages) -> dict[int, str]:
    """Usernames of everyone who asked in a conversation, so a page names an admin's question as theirs."""
    ids = {m.user_id for m in messages if m.user_id is not None}
    if not ids:
        return {}
    return {row.id: row.username for row in session.execute(select(User.id, User.username).where(User.id.in_(ids)))}
