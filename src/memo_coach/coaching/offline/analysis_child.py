"""The analysis process's side (see process.py): memos in, evaluations out, one at a time, as pickle
frames (see memo_coach.child_process), until the server closes its end or dies."""

from __future__ import annotations

import pickle

from memo_coach.child_process import PICKLE_FRAMES, ParentPipes
from memo_coach.coaching.offline.analyzer import OfflineEvaluator
from memo_coach.coaching.offline.readability import ensure_dictionary
from memo_coach.coaching.result import Evaluated
from memo_coach.coaching.rubric import Rubric

RUBRICS_KEPT = 4  # rubric versions kept unpickled here, and pickled in the server


def main() -> None:
    server = ParentPipes(PICKLE_FRAMES)
    ensure_dictionary()
    evaluator = OfflineEvaluator(background_load=False)
    rubrics: dict[bytes, Rubric] = {}
    server.ready()
    for memo, pickled_rubric in server.requests():
        server.answer(_analyse(evaluator, memo, _unpickled(rubrics, pickled_rubric)))


def _unpickled(rubrics: dict[bytes, Rubric], pickled: bytes) -> Rubric:
    if pickled not in rubrics:
        if len(rubrics) >= RUBRICS_KEPT:
            rubrics.clear()
        rubrics[pickled] = pickle.loads(pickled)
    return rubrics[pickled]


def _analyse(evaluator: OfflineEvaluator, memo: str, rubric: Rubric) -> tuple[str, Evaluated | str]:
    try:
        return "ok", evaluator.evaluate(memo, rubric)
    except Exception as exc:  # the server raises it, as it would have raised analysing itself
        return "error", f"{type(exc).__name__}: {exc}"


if __name__ == "__main__":
    main()
