"""The active config/support.yaml, parsed once per version."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session

from memo_coach.config_store.loader import parse
from memo_coach.config_store.versions import active_version
from memo_coach.support.config import SupportConfig


@lru_cache(maxsize=8)
def _parsed(checksum: str, content: str) -> SupportConfig:
    return parse("support", content)


def support_config(session: Session) -> SupportConfig:
    """The active version; the code defaults when none is active yet (before `memo-coach init`)."""
    version = active_version(session, "support")
    return _parsed(version.checksum, version.content) if version else SupportConfig()
