"""Many stored evaluations fast, for page tests and the page benchmark: the offline analyzer runs
once per sample memo and its results are stored again with scores that drift over time."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from memo_coach.coaching.models import COMPLETED, Evaluation, Memo
from memo_coach.coaching.offline.analyzer import OfflineEvaluator
from memo_coach.coaching.result import EvaluationResult, weighted_score
from memo_coach.coaching.rubric import Rubric
from memo_coach.coaching.samples import list_samples

REVISIONS_PER_MEMO = 4


def _sample_results(rubric: Rubric) -> list[tuple[str, str, dict]]:
    evaluator = OfflineEvaluator()
    results = []
    for sample in list_samples():
        result = evaluator.evaluate(sample.text, rubric).result.model_dump()
        for item in result["rubric_scores"]:
            criterion = rubric.criterion(item["criterion_id"])
            item["name"], item["weight"] = criterion.name, criterion.weight
        results.append((sample.title, sample.text, result))
    return results


def _drifted(result: dict, step: int, rubric: Rubric) -> dict:
    result = copy.deepcopy(result)
    for n, item in enumerate(result["rubric_scores"]):
        shifted = item["score"] + (step + n) % 3 - 1
        item["score"] = min(rubric.scale.max, max(rubric.scale.min, shifted))
    return result


def seed_evaluations(session: Session, user_id: int, count: int, rubric: Rubric) -> list[int]:
    """Stores `count` completed evaluations for `user_id`, one hour apart, ending now; returns their ids."""
    samples = _sample_results(rubric)
    start = datetime.now(UTC) - timedelta(hours=count)
    evaluations, memo = [], None
    for i in range(count):
        title, text, base = samples[(i // REVISIONS_PER_MEMO) % len(samples)]
        if i % REVISIONS_PER_MEMO == 0:
            memo = Memo(user_id=user_id, title=title, created_at=start + timedelta(hours=i))
            session.add(memo)
            session.flush()
        result = _drifted(base, i, rubric)
        evaluations.append(
            Evaluation(
                memo_id=memo.id,
                user_id=user_id,
                revision=i % REVISIONS_PER_MEMO + 1,
                text_content=text,
                status=COMPLETED,
                attempts=1,
                provider="offline",
                model="offline-analyzer-seed",
                overall_score=weighted_score(EvaluationResult(**result), rubric),
                result=result,
                latency_ms=50.0,
                created_at=start + timedelta(hours=i),
                completed_at=start + timedelta(hours=i),
            )
        )
    session.add_all(evaluations)
    session.flush()
    return [e.id for e in evaluations]
