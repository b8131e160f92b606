"""The built-in analyzer that coaches from measurable features of the text, without a language model."""

from memo_coach.coaching.offline.analyzer import ANALYZER_VERSION, OfflineEvaluator

__all__ = ["ANALYZER_VERSION", "OfflineEvaluator"]
