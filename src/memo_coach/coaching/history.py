"""A writer's evaluations over time: light queries (scores and dates, never memo text) for lists and charts.

With a thousand evaluations a page must still answer in milliseconds, so the list is paginated and
the chart reads the result JSON of its last few dozen points only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from memo_coach.coaching.models import COMPLETED, Evaluation, Memo

CHART_POINTS = 60


@dataclass(frozen=True)
class HistoryRow:
    id: int
    memo_id: int
    revision: int
    title: str
    status: str
    overall_score: float | None
    degraded: bool
    created_at: datetime


@dataclass(frozen=True)
class ProgressPoint:
    evaluation_id: int
    at: datetime
    overall: float
    criteria: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MemoProgress:
    """One memo's evaluated revisions, oldest first: how far revising it has moved each score."""

    memo_id: int
    title: str
    revisions: list[ProgressPoint]

    @property
    def first(self) -> ProgressPoint:
        return self.revisions[0]

    @property
    def latest(self) -> ProgressPoint:
        return self.revisions[-1]

    @property
    def change(self) -> float:
        return round(self.latest.overall - self.first.overall, 2)


@dataclass(frozen=True)
class Progress:
    """Chart data: the memos of the latest completed evaluations (oldest first), criterion names in
    rubric order as frozen with the results, and how many evaluations there are in all."""

    memos: list[MemoProgress]
    names: dict[str, str]
    total: int
    shown: int

    def average(self, memos: list[MemoProgress]) -> float | None:
        return round(sum(m.latest.overall for m in memos) / len(memos), 2) if memos else None


def history_page(session: Session, user_id: int, page: int, per_page: int) -> tuple[list[HistoryRow], int]:
    """One page of the writer's evaluations, newest first, and how many there are in all."""
    total = session.scalar(select(func.count(Evaluation.id)).where(Evaluation.user_id == user_id)) or 0
    rows = session.execute(
        select(
            Evaluation.id,
            Evaluation.memo_id,
            Evaluation.revision,
            Memo.title,
            Evaluation.status,
            Evaluation.overall_score,
            Evaluation.degraded,
            Evaluation.created_at,
        )
        .join(Memo, Memo.id == Evaluation.memo_id)
        .where(Evaluation.user_id == user_id)
        .order_by(Evaluation.created_at.desc(), Evaluation.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return [HistoryRow(*row) for row in rows], total


def progress(session: Session, user_id: int, limit: int = CHART_POINTS) -> Progress:
    """The writer's latest completed evaluations grouped by memo; never joins two memos' scores."""
    completed = (Evaluation.user_id == user_id, Evaluation.status == COMPLETED)
    total = session.scalar(select(func.count(Evaluation.id)).where(*completed)) or 0
    rows = session.execute(
        select(
            Evaluation.id,
            Evaluation.memo_id,
            Memo.title,
            Evaluation.created_at,
            Evaluation.overall_score,
            Evaluation.result,
        )
        .join(Memo, Memo.id == Evaluation.memo_id)
        .where(*completed)
        .order_by(Evaluation.created_at.desc(), Evaluation.id.desc())
        .limit(limit)
    ).all()
    names: dict[str, str] = {}
    memos: dict[int, MemoProgress] = {}
    for ev_id, memo_id, title, at, overall, result in reversed(rows):
        scores = {}
        for item in (result or {}).get("rubric_scores", []):
            scores[item["criterion_id"]] = item["score"]
            names.setdefault(item["criterion_id"], item.get("name", item["criterion_id"]))
        memo = memos.setdefault(memo_id, MemoProgress(memo_id, title, []))
        memo.revisions.append(ProgressPoint(ev_id, at, overall or 0.0, scores))
    return Progress(list(memos.values()), names, total, len(rows))


def memo_versions(session: Session, memo_id: int) -> list[Evaluation]:
    """Every evaluation of one memo, first revision first."""
    return list(session.scalars(select(Evaluation).where(Evaluation.memo_id == memo_id).order_by(Evaluation.revision)))


@dataclass(frozen=True)
class CriterionChange:
    criterion_id: str
    name: str
    before: int | None
    after: int

    @property
    def delta(self) -> int | None:
        return None if self.before is None else self.after - self.before


def criterion_changes(previous: dict | None, current: dict) -> list[CriterionChange]:
    """How each criterion moved from the previous revision's result to this one's."""
    before = {s["criterion_id"]: s["score"] for s in (previous or {}).get("rubric_scores", [])}
    return [
        CriterionChange(s["criterion_id"], s.get("name", s["criterion_id"]), before.get(s["criterion_id"]), s["score"])
        for s in current.get("rubric_scores", [])
    ]
