"""How well the offline coach agrees with human labels on the memo corpus (tests/corpus).

Reports, for the development set and the held-out set apart and for English and Spanish apart,
Spearman's rank correlation between the analyzer's overall score and the labelled quality, the
best adversarial memo's score, the weakest strong memo's score and the gap between them (issue 25
wants at least 1.0), and the memo counts; plus the share of dev dimension scores inside their
labelled bands and how many held-out memos have a misquote. Held-out results are aggregates
only, so nobody tunes the analyzer to them. In process, a second or two.
"""

from __future__ import annotations

from memo_coach.coaching.offline.analyzer import OfflineEvaluator
from tests.support.corpus import default_rubric, measure


def run() -> dict:
    return measure(OfflineEvaluator(), default_rubric())
