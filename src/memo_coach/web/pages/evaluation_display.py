"""Presenting one evaluation: the memo with its commented passages marked, and the rubric it was scored with."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from memo_coach.coaching.rubric import Rubric
from memo_coach.config_store.loader import parse
from memo_coach.config_store.models import ConfigVersion
from memo_coach.config_store.versions import ActiveConfig


@dataclass(frozen=True)
class Passage:
    text: str
    number: int | None = None  # the segment's number (1-based) when this passage is commented


def mark_segments(text: str, segments: list[dict]) -> list[Passage]:
    """The memo cut into passages, each commented quote marked once; a quote overlapping an earlier
    one stays in the list of comments but is not marked twice."""
    spans = []
    for number, seg in enumerate(segments, 1):
        start = text.find(seg["quote"])
        if start >= 0:
            spans.append((start, start + len(seg["quote"]), number))
    passages, pos = [], 0
    for start, end, number in sorted(spans):
        if start < pos:
            continue
        if start > pos:
            passages.append(Passage(text[pos:start]))
        passages.append(Passage(text[start:end], number))
        pos = end
    if pos < len(text):
        passages.append(Passage(text[pos:]))
    return passages


def rubric_for(db: Session, config: ActiveConfig, version_id: int | None) -> Rubric:
    """The rubric version an evaluation was scored with, so guidance matches its scores after a config change."""
    if version_id is None or config.version_ids.get("rubric") == version_id:
        return config.rubric
    row = db.get(ConfigVersion, version_id)
    return parse("rubric", row.content) if row else config.rubric  # type: ignore[return-value]
