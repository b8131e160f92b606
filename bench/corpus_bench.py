"""How well the offline coach agrees with human labels on the memo corpus (tests/corpus).

Reports Spearman's rank correlation between the analyzer's overall score and the labelled
quality, the share of dimension scores inside their labelled bands, and how far keyword-stuffed
memos stay below strong ones. In process, a second or two.
"""

from __future__ import annotations

from memo_coach.coaching.offline.analyzer import OfflineEvaluator
from tests.support.corpus import default_rubric, measure


def run() -> dict:
    return measure(OfflineEvaluator(), default_rubric())
