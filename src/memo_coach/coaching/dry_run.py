"""The behaviour check: what a proposed configuration would do to real feedback, before it is applied.

The built-in sample memos are scored by the offline analyzer with the active and with the proposed
configuration, and every score change is shown. The analyzer reads only the rubric, so a change to
another file shows every score unchanged; its templates are still rendered by the semantic layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import BaseModel

from memo_coach.coaching.result import weighted_score
from memo_coach.coaching.rubric import Rubric
from memo_coach.coaching.samples import Sample, list_samples

if TYPE_CHECKING:
    from memo_coach.coaching.offline.analyzer import OfflineEvaluator


@lru_cache(maxsize=1)
def _evaluator() -> OfflineEvaluator:
    """Imported on the first dry run: registering the kinds that name this dry run must stay cheap."""
    from memo_coach.coaching.offline.analyzer import OfflineEvaluator

    return OfflineEvaluator()


def dry_run(active: Mapping[str, BaseModel], proposed: Mapping[str, BaseModel]) -> dict:
    """Per sample memo: overall and per-criterion scores, active vs proposed, and the change."""
    samples = [_compare(s, active["rubric"], proposed["rubric"]) for s in list_samples()]
    return {
        "samples": samples,
        "changed": sum(
            1 for s in samples if s["overall"]["change"] != 0 or any(c["change"] != 0 for c in s["criteria"])
        ),
    }


def _scores(sample: Sample, rubric: Rubric) -> tuple[float, dict[str, int]]:
    result = _evaluator().evaluate(sample.text, rubric).result
    return weighted_score(result, rubric), {s.criterion_id: s.score for s in result.rubric_scores}


def _compare(sample: Sample, active: Rubric, proposed: Rubric) -> dict:
    before_overall, before = _scores(sample, active)
    after_overall, after = _scores(sample, proposed)
    names = {c.id: c.name for c in (*active.criteria, *proposed.criteria)}
    return {
        "sample": sample.name,
        "title": sample.title,
        "overall": _delta(before_overall, after_overall),
        "criteria": [{"id": cid, "name": names[cid], **_delta(before.get(cid), after.get(cid))} for cid in names],
    }


def _delta(before: float | None, after: float | None) -> dict:
    change = round(after - before, 2) if before is not None and after is not None else None
    return {"active": before, "proposed": after, "change": change}
