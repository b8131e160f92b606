"""The labelled memo corpus (tests/corpus): loading it, scoring it, and rank correlation.

Shared by the regression test (tests/unit/coaching/test_corpus.py) and `make bench`, so both
measure the same thing the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from memo_coach.coaching.offline.features import extract_features
from memo_coach.coaching.offline.scoring import JUDGES, judge
from memo_coach.coaching.result import weighted_score
from memo_coach.coaching.rubric import Rubric

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
REPO = CORPUS.parents[1]
FORMATS = {".md": "markdown", ".txt": "plain text", ".eml": "email"}


@dataclass(frozen=True)
class LabelledMemo:
    name: str
    format: str
    text: str
    quality: float
    bands: dict[str, tuple[int, int]]  # analyzer dimension -> (lowest, highest) fair score
    adversarial: bool
    known_misses: dict[str, str]  # dimension -> why the analyzer still disagrees

    @property
    def strong(self) -> bool:
        return self.quality >= 4


def load_corpus(part: str = "dev") -> list[LabelledMemo]:
    """One set of the corpus: "dev" (tuned on) or "heldout" (never read while tuning, see tests/corpus/README.md)."""
    labels = yaml.safe_load((CORPUS / part / "labels.yaml").read_text(encoding="utf-8")) or {}
    files = {p.stem: p for p in (CORPUS / part / "memos").iterdir() if not p.name.startswith(".")}
    missing = sorted(set(labels) ^ set(files))
    if missing:
        raise ValueError(f"memos without labels or labels without memos: {missing}")
    return [
        LabelledMemo(
            name=name,
            format=FORMATS[files[name].suffix],
            text=files[name].read_text(encoding="utf-8"),
            quality=float(label["quality"]),
            bands={dim: (lo, hi) for dim, (lo, hi) in label["bands"].items()},
            adversarial=bool(label.get("adversarial", False)),
            known_misses=dict(label.get("known_misses", {})),
        )
        for name, label in labels.items()
    ]


def default_rubric() -> Rubric:
    return Rubric.model_validate(yaml.safe_load((REPO / "config" / "rubric.yaml").read_text(encoding="utf-8")))


def dimension_scores(text: str) -> dict[str, int]:
    """The analyzer's 1..5 score for every dimension, before any rubric maps it."""
    features = extract_features(text)
    return {dim: judge(dim, features).score for dim in JUDGES}


def overall_score(evaluator, text: str, rubric: Rubric) -> float:
    return weighted_score(evaluator.evaluate(text, rubric).result, rubric)


def ranks(values: list[float]) -> list[float]:
    """1-based ranks; tied values share the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation: Pearson's correlation of the ranks (handles ties)."""
    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sx = sum((a - mx) ** 2 for a in rx) ** 0.5
    sy = sum((b - my) ** 2 for b in ry) ** 0.5
    return round(cov / (sx * sy), 3) if sx and sy else 0.0


def measure(evaluator, rubric: Rubric) -> dict:
    """The corpus numbers `make bench` reports: size, formats, rank correlation, band agreement."""
    memos = load_corpus()
    overall = [overall_score(evaluator, m.text, rubric) for m in memos]
    in_band = sum(
        lo <= score <= hi for m in memos for dim, score in dimension_scores(m.text).items() for lo, hi in [m.bands[dim]]
    )
    formats: dict[str, int] = {}
    for m in memos:
        formats[m.format] = formats.get(m.format, 0) + 1
    return {
        "memos": len(memos),
        "formats": formats,
        "spearman_overall_vs_quality": spearman(overall, [m.quality for m in memos]),
        "dimension_scores_in_band": f"{in_band}/{len(memos) * len(JUDGES)}",
        "adversarial_max_score": max(o for o, m in zip(overall, memos, strict=True) if m.adversarial),
        "strong_min_score": min(o for o, m in zip(overall, memos, strict=True) if m.strong),
    }
